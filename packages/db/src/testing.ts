/**
 * Test isolation on the machine's own Postgres: a template database is migrated once per test run (vitest
 * global setup), and every test file clones it into a database of its own, so files run in parallel.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { applyMigrations } from "./migrate";
import { createDb, type Db } from "./client";
import { createPgPool, type PgPool } from "./pg-pool";
import { ensureDatabase } from "./ensure-database";

export const TEST_ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const TEMPLATE_NAME = "inbox_test_template";

function urlFor(name: string): string {
  const url = new URL(TEST_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Migrates the template database; run once before the tests (vitest globalSetup). */
export async function prepareTemplateDatabase(): Promise<void> {
  const url = urlFor(TEMPLATE_NAME);
  await ensureDatabase(url);
  await applyMigrations(url);
  await withAdmin(async (c) => {
    // Connections to the template block CREATE DATABASE … TEMPLATE; the migrate pool has ended, make sure.
    await c.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [TEMPLATE_NAME],
    );
  });
}

export interface TestDatabase {
  name: string;
  url: string;
  db: Db;
  /** Plain pg pool on the same database (the webhook receiver's hot path); connects on first use. */
  pgPool: PgPool;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `inbox_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE_NAME}"`));
  const url = urlFor(name);
  const db = createDb(url, { max: 5 });
  const pgPool = createPgPool(url, { max: 4 });
  return {
    name,
    url,
    db,
    pgPool,
    async drop() {
      await db.$disconnect();
      await pgPool.end();
      await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/** A Redis key prefix of one's own, for BullMQ queues and pub/sub channels in a test file. */
export function createTestRedisPrefix(): string {
  return `inbox-test-${randomBytes(6).toString("hex")}`;
}

/** Drops databases that earlier runs left behind (crashed runs), older than an hour. */
export async function dropStaleTestDatabases(): Promise<void> {
  await withAdmin(async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'inbox\\_test\\_%' AND datname <> $1`,
      [TEMPLATE_NAME],
    );
    const cutoff = Date.now() - 60 * 60 * 1000;
    for (const { datname } of rows) {
      const created = parseInt(datname.split("_")[2] ?? "", 36);
      if (Number.isFinite(created) && created < cutoff) {
        await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
    }
  });
}
