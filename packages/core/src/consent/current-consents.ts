import { Prisma, runSqlOf, type DbTx, type RunSql } from "@inbox/db";
import type { ConsentState } from "./consent-rules";

/**
 * The ONE query for a contact's current consents: the consent log is append-only and the newest record per purpose
 * is the current state (ties: the later stored, then the id). A SQL expression yielding a JSON array
 * `[{purpose, status}]`, so the worker's claim statement embeds it (one statement per send) and everything else
 * runs it through `findCurrentConsents` — the API's send-policy check and the worker's read the same rows the same
 * way. `contactId` is the SQL of the contact id (a column reference or a `::uuid` parameter).
 */
export function currentConsentsSql(contactId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`COALESCE((
    SELECT json_agg(json_build_object('purpose', x."purpose", 'status', x."status", 'occurredAt', x."occurredAt"))
      FROM (SELECT DISTINCT ON ("purpose") "purpose", "status", "occurredAt" FROM "Consent"
             WHERE "contactId" = ${contactId} ORDER BY "purpose", "occurredAt" DESC, "createdAt" DESC, "id" DESC) AS x
  ), '[]'::json)`;
}

/** The newest consent record per purpose of one contact (see `currentConsentsSql`). */
export async function findCurrentConsents(db: DbTx | RunSql, contactId: string): Promise<ConsentState[]> {
  const [row] = await runSqlOf(db)<{ consents: ConsentState[] }>(
    Prisma.sql`SELECT ${currentConsentsSql(Prisma.sql`${contactId}::uuid`)} AS consents`,
  );
  return row?.consents ?? [];
}
