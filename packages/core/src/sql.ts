import { Prisma, type DbTx, type PgClient, type PgPool } from "@inbox/db";

/** A UTC timestamp parameter for raw SQL against TIMESTAMP(3) columns (Prisma stores UTC without zone). */
export function sqlTimestamp(date: Date | null | undefined): Prisma.Sql {
  return date ? Prisma.sql`(${date.toISOString()}::timestamptz AT TIME ZONE 'UTC')` : Prisma.sql`NULL::timestamp`;
}

/** Runs one raw statement: inside a Prisma transaction, or on a plain pg client (same SQL, `$n` parameters). */
export type RunSql = <T>(query: Prisma.Sql) => Promise<T[]>;

export const prismaSql =
  (tx: DbTx): RunSql =>
  <T>(query: Prisma.Sql) =>
    tx.$queryRaw<T[]>(query);

/** On a pooled client (inside its transaction), or on the pool itself (each statement its own transaction). */
export const pgSql =
  (client: PgClient | PgPool): RunSql =>
  async <T>(query: Prisma.Sql) =>
    (await client.query(query.text, query.values)).rows as T[];

/** The RunSql of a Prisma client or transaction; a RunSql is passed through (readers that run on either). */
export const runSqlOf = (db: DbTx | RunSql): RunSql => (typeof db === "function" ? db : prismaSql(db));
