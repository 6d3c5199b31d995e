import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";
import { POOL_IDLE_TIMEOUT_MS } from "./pg-pool";

export type Db = PrismaClient;
/** A client or an interactive transaction's client: what use cases take so they compose into one transaction. */
export type DbTx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export interface CreateDbOptions {
  /** Pool size; the console API and webhook receiver share one pool per process. */
  max?: number;
}

export function createDb(databaseUrl: string, { max = 10 }: CreateDbOptions = {}): Db {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: POOL_IDLE_TIMEOUT_MS,
  });
  return new PrismaClient({ adapter });
}

/** One round trip to Postgres (readiness checks, start-up); rejects when the database does not answer. */
export async function pingDatabase(db: DbTx): Promise<void> {
  await db.$queryRaw`SELECT 1`;
}
