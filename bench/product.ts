/**
 * The product as a user starts it: `pnpm start` in the repository (simulator mode), on a fresh migrated database
 * and a Redis of its own, in its own process group so one SIGINT reaches every process as Ctrl-C does. The
 * benchmarks that measure "through pnpm start" use this, never an in-process api.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Db } from "@inbox/db";
import { createTestDatabase, prepareTemplateDatabase, startTestRedisServer } from "@inbox/db/testing";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export interface RunningProduct {
  port: number;
  simulatorPort: number;
  /** The worker's /metrics port (answers when METRICS_TOKEN is set). */
  workerMetricsPort: number;
  /** The product's database, for set-up and for reading outcomes. */
  db: Db;
  /** Its URL and the Redis URL (for `pnpm inbox …` commands against the running product). */
  databaseUrl: string;
  redisUrl: string;
  /** Pid of `pnpm start` (its process group): api and worker are child.ts processes below it. */
  pid: number;
  sessionSecret: string;
  /** The first admin printed in the start banner, with the password of its own it was given (the printed one works once). */
  admin: { email: string; password: string };
  /** Seconds from spawning `pnpm start` to its banner. */
  startSeconds: number;
  /** One SIGINT to the process group; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Stops the product and removes its database and Redis. */
  destroy(): Promise<void>;
}

/**
 * Starts `pnpm start` with `env` added to a minimal environment. PROFILE_DIR runs the same entry point under
 * `node --cpu-prof` instead (Node refuses --cpu-prof in NODE_OPTIONS; the processes `pnpm start` forks inherit it).
 */
export async function startProduct(env: Record<string, string> = {}): Promise<RunningProduct> {
  await prepareTemplateDatabase();
  const t = await createTestDatabase();
  const redis = await startTestRedisServer();
  const [port, simulatorPort, workerMetricsPort] = [await freePort(), await freePort(), await freePort()];
  const sessionSecret = randomBytes(32).toString("hex");
  const fullEnv: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    DATABASE_URL: t.url,
    REDIS_URL: redis.url,
    PORT: String(port),
    SIMULATOR_PORT: String(simulatorPort),
    WORKER_METRICS_PORT: String(workerMetricsPort),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    SESSION_SECRET: sessionSecret,
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    ...(process.env.PRODUCT_NODE_OPTIONS ? { NODE_OPTIONS: process.env.PRODUCT_NODE_OPTIONS } : {}),
    ...env,
  };
  const startedAt = performance.now();
  const [command, args] = process.env.PROFILE_DIR
    ? [
        process.execPath,
        [
          "--cpu-prof",
          `--cpu-prof-dir=${path.resolve(process.env.PROFILE_DIR)}`,
          "--import",
          "tsx",
          "apps/cli/src/main.ts",
          "start",
        ],
      ]
    : ["pnpm", ["start"]];
  const product = spawn(command, args, { cwd: ROOT, env: fullEnv, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  product.stdout.on("data", (d: Buffer) => (out += d.toString()));
  product.stderr.on("data", (d: Buffer) => process.stderr.write(d));
  const exited = new Promise<number | null>((resolve) => product.on("exit", (code) => resolve(code)));
  const stop = async () => {
    if (product.exitCode === null && product.signalCode === null && product.pid) process.kill(-product.pid, "SIGINT");
    return exited;
  };
  const destroy = async () => {
    await stop();
    await redis.stop();
    await t.drop();
  };
  try {
    await waitFor("the start banner", 180_000, async () => {
      if (product.exitCode !== null) throw new Error(`pnpm start exited with ${product.exitCode}:\n${out}`);
      return out.includes("Press Ctrl-C to stop");
    });
  } catch (error) {
    await destroy();
    throw error;
  }
  const email = /e-mail\s+(\S+)/.exec(out)?.[1];
  const printed = /password\s+(\S+)/.exec(out)?.[1];
  if (!email || !printed) {
    await destroy();
    throw new Error(`no first admin in the banner:\n${out}`);
  }
  let password: string;
  try {
    password = await replacePrintedPassword(`http://127.0.0.1:${port}`, email, printed);
  } catch (error) {
    await destroy();
    throw error;
  }
  return {
    port,
    simulatorPort,
    workerMetricsPort,
    db: t.db,
    databaseUrl: t.url,
    redisUrl: redis.url,
    pid: product.pid!,
    sessionSecret,
    admin: { email, password },
    startSeconds: (performance.now() - startedAt) / 1000,
    stop,
    destroy,
  };
}

/** The printed first-admin password is good for one sign-in, which must set an own one: done here, as an admin would. */
async function replacePrintedPassword(url: string, email: string, printed: string): Promise<string> {
  const login = await fetch(`${url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: printed }),
  });
  if (login.status !== 200) throw new Error(`first admin sign-in: ${login.status} ${await login.text()}`);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const password = randomBytes(16).toString("hex");
  const changed = await fetch(`${url}/api/auth/password`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      cookie: login.headers.getSetCookie().join("; "),
      "x-csrf-token": csrfToken,
    },
    body: JSON.stringify({ currentPassword: printed, newPassword: password }),
  });
  if (changed.status !== 200) throw new Error(`first admin password change: ${changed.status} ${await changed.text()}`);
  return password;
}
