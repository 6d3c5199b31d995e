import pg from "pg";

export type PgPool = pg.Pool;
export type PgClient = pg.PoolClient;

const TIMESTAMP_OID = 1114;

/**
 * How long a pooled connection may sit unused before the pool closes it (pg's default is 10 s), for every pool of the
 * product's processes. A pool's size is fixed by its `max`, and Postgres's `max_connections` is sized for all of
 * them (docs/operations.md), so keeping them costs nothing that was not planned for; closing them after 10 s meant
 * that a process quiet for a moment (a worker between bursts of sends, a pool the api's live path uses now and then)
 * opened several new backends at once when traffic returned — at 1,000 deliveries/s on two cores a burst of slow
 * replies at each such onset (docs/performance.md). A quiet night still gives them back.
 */
export const POOL_IDLE_TIMEOUT_MS = 5 * 60_000;

const parseUtcTimestamp = (value: string) => new Date(`${value.replace(" ", "T")}Z`);

/** pg's parsers, except `timestamp without time zone`, which is read as UTC. */
const utcTimestampParser = ((oid: number, format?: "text" | "binary"): unknown => {
  if (oid === TIMESTAMP_OID && format !== "binary") return parseUtcTimestamp;
  return pg.types.getTypeParser(oid, format) as unknown;
}) as typeof pg.types.getTypeParser;

/**
 * A plain `pg` pool for fast paths that run raw SQL in short transactions (the webhook receiver): no Prisma
 * interactive-transaction overhead per statement. `timestamp without time zone` columns hold UTC (as Prisma
 * writes them), so they are parsed as UTC whatever the process time zone is.
 */
export function createPgPool(databaseUrl: string, { max = 4 }: { max?: number } = {}): PgPool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: POOL_IDLE_TIMEOUT_MS,
    types: { getTypeParser: utcTimestampParser },
  });
  // An idle connection that breaks (Postgres restarted) is dropped by the pool and the next query reconnects;
  // without a listener the 'error' event would end the process.
  pool.on("error", () => undefined);
  return pool;
}
