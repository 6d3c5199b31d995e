/**
 * Test isolation on the machine's own Postgres: a template database is migrated once per test run (vitest
 * global setup), and every test file clones it into a database of its own, so files run in parallel.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { chown, mkdtemp, readFile, rm } from "node:fs/promises";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { applyMigrations, readMigrations } from "./migrate";
import { createDb, type Db } from "./client";
import { createPgPool, type PgPool } from "./pg-pool";

export const TEST_ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
/** Template databases are named after their migrations' content, so checkouts with other migrations never share one. */
const TEMPLATE_PREFIX = "inbox_tpl_";
/** Templates kept for other checkouts' runs; older ones (lowest oid) are dropped when a new one is built. */
const TEMPLATES_KEPT = 8;
/** Serialises template preparation across concurrent test runs on one Postgres. */
const TEMPLATE_LOCK_KEY = 74_210_331;
const TEMPLATE_READY = "inbox test template: ready";
let templateName: Promise<string> | undefined;

function getTemplateName(): Promise<string> {
  templateName ??= readMigrations().then((migrations) => {
    const hash = createHash("sha256");
    for (const m of migrations) hash.update(m.name).update("\0").update(m.sql).update("\0");
    return `${TEMPLATE_PREFIX}${hash.digest("hex").slice(0, 16)}`;
  });
  return templateName;
}

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

/**
 * Migrates the template database of the current migrations; run once before the tests (vitest globalSetup). A
 * template is marked ready only after every migration applied, so one left half-built by a crashed run is rebuilt.
 */
export async function prepareTemplateDatabase(): Promise<void> {
  const name = await getTemplateName();
  await withAdmin(async (c) => {
    await c.query(`SELECT pg_advisory_lock($1)`, [TEMPLATE_LOCK_KEY]);
    try {
      const { rows } = await c.query<{ ready: string | null }>(
        `SELECT shobj_description(oid, 'pg_database') AS ready FROM pg_database WHERE datname = $1`,
        [name],
      );
      if (rows[0]?.ready === TEMPLATE_READY) return;
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.query(`CREATE DATABASE "${name}"`);
      await applyMigrations(urlFor(name));
      // Connections to the template block CREATE DATABASE … TEMPLATE; the migrate pool has ended, make sure.
      await c.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [name],
      );
      await c.query(`COMMENT ON DATABASE "${name}" IS '${TEMPLATE_READY}'`);
      await dropOldTemplates(c, name);
    } finally {
      await c.query(`SELECT pg_advisory_unlock($1)`, [TEMPLATE_LOCK_KEY]);
    }
  });
}

async function dropOldTemplates(c: pg.Client, keep: string): Promise<void> {
  const { rows } = await c.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE (datname LIKE 'inbox\\_tpl\\_%' OR datname = 'inbox_test_template')
       AND datname <> $1 ORDER BY oid DESC OFFSET $2`,
    [keep, TEMPLATES_KEPT - 1],
  );
  for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
}

export interface TestDatabase {
  name: string;
  url: string;
  db: Db;
  /** Plain pg pool on the same database (the webhook receiver's fast path); connects on first use. */
  pgPool: PgPool;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `inbox_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const template = await getTemplateName();
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
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

/**
 * The plans Postgres ran while `fn` used one connection of `pool`, nested statements included (a PL/pgSQL function's
 * statements, as it plans and caches them): auto_explain with ANALYZE reports each plan as a notice. The connection
 * is discarded afterwards, so its settings and cached plans go with it.
 */
export async function nestedPlansOf(pool: PgPool, fn: (client: pg.PoolClient) => Promise<void>): Promise<string> {
  const client = await pool.connect();
  const plans: string[] = [];
  const onNotice = (n: { message?: string }) => plans.push(n.message ?? "");
  client.on("notice", onNotice);
  try {
    for (const sql of [
      "LOAD 'auto_explain'",
      "SET auto_explain.log_min_duration = 0",
      "SET auto_explain.log_nested_statements = on",
      "SET auto_explain.log_analyze = on",
      "SET client_min_messages = log",
    ]) {
      await client.query(sql);
    }
    await fn(client);
  } finally {
    client.off("notice", onNotice);
    client.release(true);
  }
  return plans.join("\n");
}

/** A Redis key prefix of one's own, for BullMQ queues and pub/sub channels in a test file. */
export function createTestRedisPrefix(): string {
  return `inbox-test-${randomBytes(6).toString("hex")}`;
}

/** Drops databases that earlier runs left behind (crashed runs), older than an hour. */
export async function dropStaleTestDatabases(): Promise<void> {
  await withAdmin(async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'inbox\\_test\\_%' AND datname <> 'inbox_test_template'`,
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

/** A Postgres server of a test's own (initdb in a temporary folder), so it can be stopped under load and started again. */
export interface TestPostgresServer {
  /** Connection URL of its `postgres` database (migrate it, or create others, as the test needs). */
  url: string;
  /** Immediate shutdown, like a crash: connections break, nothing is flushed politely. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  destroy(): Promise<void>;
}

const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

/** Runs a Postgres tool as the `postgres` OS user when we are root (Postgres refuses to run as root). */
function pgTool(tool: string, args: string[]): Promise<void> {
  const asRoot = process.getuid?.() === 0;
  const [command, argv] = asRoot
    ? ["runuser", ["-u", "postgres", "--", `${PG_BIN}/${tool}`, ...args]]
    : [`${PG_BIN}/${tool}`, args];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${tool} failed (${code}): ${stderr}`))));
  });
}

export async function startTestPostgresServer(): Promise<TestPostgresServer> {
  const dir = await mkdtemp(path.join(tmpdir(), "inbox-pg-"));
  if (process.getuid?.() === 0) await chown(dir, ...(await postgresIds()));
  const data = path.join(dir, "data");
  const port = await freePort();
  await pgTool("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  const server: TestPostgresServer = {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    start: () => pgTool("pg_ctl", ["-D", data, "-o", options, "-l", path.join(dir, "log"), "-w", "start"]),
    stop: () => pgTool("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]),
    async destroy() {
      await server.stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

async function postgresIds(): Promise<[number, number]> {
  const passwd = await readFile("/etc/passwd", "utf8");
  const entry = passwd.split("\n").find((line) => line.startsWith("postgres:"));
  const [, , uid, gid] = entry?.split(":") ?? [];
  if (!uid || !gid) throw new Error("No postgres OS user: install Debian's postgresql package.");
  return [Number(uid), Number(gid)];
}

/** A redis-server of a test's own, so it can be stopped and started again without disturbing other test files. */
export interface TestRedisServer {
  url: string;
  /** SIGKILL: like a crash. Without persistence every key is gone; with it, the append-only file keeps them. */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty, or from its append-only file). */
  start(): Promise<void>;
  /** Stops it and removes its folder (persistent servers). */
  destroy(): Promise<void>;
}

export interface TestRedisOptions {
  /**
   * Keep every write in an append-only file, fsynced before Redis answers (as a production Redis with AOF, minus the
   * second `everysec` could lose), so a crash and restart keeps the queues.
   */
  persistent?: boolean;
}

export async function startTestRedisServer(options: TestRedisOptions = {}): Promise<TestRedisServer> {
  const port = await freePort();
  const dir = options.persistent ? await mkdtemp(path.join(tmpdir(), "inbox-redis-")) : null;
  const persistence = dir ? ["--appendonly", "yes", "--appendfsync", "always", "--dir", dir] : ["--appendonly", "no"];
  let child: ChildProcess | null = null;
  const server: TestRedisServer = {
    url: `redis://127.0.0.1:${port}`,
    async destroy() {
      await server.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    },
    async start() {
      child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", ...persistence], {
        stdio: "ignore",
      });
      for (let i = 0; i < 100; i++) {
        if (await answersPing(port)) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`redis-server did not start on port ${port}`);
    },
    async stop() {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        running.once("exit", () => resolve());
        running.kill("SIGKILL");
      });
    },
  };
  await server.start();
  return server;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(300, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
  });
}
