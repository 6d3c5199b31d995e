import type { Db, DbTx } from "./client";
import { Prisma } from "./generated/client";
import type { PgClient, PgPool } from "./pg-pool";

/*
 * Raw SQL on either driver: Prisma (inside an interactive transaction or not) or a plain pg pool/client, with the
 * same `Prisma.sql` statements ($n parameters). Fast paths run on pg (a fraction of Prisma's CPU per row); the rest
 * of the code can hand them a Prisma transaction instead and get the same behaviour.
 */

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

/** Where raw SQL can run: Prisma, or a plain pg pool when the launcher gave one. */
export interface SqlSource {
  db: Db;
  pool?: PgPool | undefined;
}

/**
 * Runs `fn` in one transaction: on a pooled pg connection when there is a pool (BEGIN … COMMIT, ROLLBACK on
 * error; a connection that cannot even roll back is discarded), else in a Prisma interactive transaction.
 */
export async function withTransaction<T>(
  source: SqlSource,
  fn: (run: RunSql) => Promise<T>,
  options: { timeoutMs?: number } = {},
): Promise<T> {
  if (!source.pool) return source.db.$transaction((tx) => fn(prismaSql(tx)), { timeout: options.timeoutMs ?? 30_000 });
  return withPooledTransaction(source.pool, async (client) => {
    await client.query("BEGIN");
    const result = await fn(pgSql(client));
    await client.query("COMMIT");
    return result;
  });
}

/**
 * The connection handling of a transaction on a pooled pg connection, for a caller that sends BEGIN and COMMIT
 * itself — together with its first and last statement, one round trip each instead of two (simple query protocol:
 * `BEGIN; SELECT …` without parameters). On error ROLLBACK (a connection that cannot even roll back is discarded).
 */
export async function withPooledTransaction<T>(pool: PgPool, fn: (client: PgClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  // A connection that breaks while checked out (Postgres restarted) emits 'error' between statements; unheard it
  // would end the process. The statement in flight fails on its own; the connection is discarded on release.
  const onError = () => {
    broken = true;
  };
  client.on("error", onError);
  try {
    return await fn(client);
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.off("error", onError);
    client.release(broken);
  }
}
