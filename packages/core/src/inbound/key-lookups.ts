import { Prisma, type RunSql } from "@inbox/db";

/*
 * Lookups by unique key for the receiver, written as one index probe per key (`unnest` + `LATERAL … LIMIT 1`)
 * rather than `"channelId" = $1 AND key = ANY($2)`. Without table statistics — a fresh database, or a table
 * that grew by more than autovacuum has analysed yet, exactly what a campaign does — the planner estimates the
 * channel's rows as a handful and scans all of them, filtering by key: the cost then grows with the table (seen
 * in bench/inbound.ts: 1.7 ms per batch at 5,000 messages instead of 0.05 ms). The LIMIT keeps the subquery from
 * being flattened into such a join, so the plan is the same with or without statistics.
 */

/** The wamids among `ids` already stored for this channel. */
export async function findKnownExternalIds(run: RunSql, channelId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await run<{ externalId: string }>(Prisma.sql`
    SELECT m."externalId" FROM unnest(${ids}::text[]) AS w(id)
      JOIN LATERAL (SELECT "externalId" FROM "Message" WHERE "channelId" = ${channelId}::uuid AND "externalId" = w.id LIMIT 1) m ON true`);
  return new Set(rows.map((r) => r.externalId));
}
