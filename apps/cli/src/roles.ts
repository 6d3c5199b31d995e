/**
 * The processes of the product, each wired once here: the api (HTTP, webhooks, console, its outbox relay), the worker
 * (jobs, sweeper, schedules) and, in simulator mode, the Cloud API simulator. `pnpm start` runs each in a child
 * process of its own (child.ts); `pnpm inbox serve api|worker` runs one in the current process.
 */
import { startApi } from "@inbox/api";
import type { Env } from "@inbox/config";
import { createPgPool } from "@inbox/db";
import { createLogger, type Logger } from "@inbox/logger";
import { startSimulatorForProduct } from "@inbox/simulator";
import { startWorker } from "@inbox/worker";
import { CONSOLE_DIST } from "./prepare";
import { connectDb, connectRedis, createQueues, StartupError } from "./runtime";
import type { RunningChild } from "./supervised-child";

const ROLES = ["api", "worker", "simulator"] as const;
export type Role = (typeof ROLES)[number];

const clock = () => new Date();

export function isRole(value: unknown): value is Role {
  return ROLES.includes(value as Role);
}

export function createProductLogger(env: Env): Logger {
  return createLogger({ name: "inbox", level: env.LOG_LEVEL });
}

export function runRole(role: Role, env: Env, log: Logger): Promise<RunningChild> {
  switch (role) {
    case "api":
      return runApi(env, log);
    case "worker":
      return runWorker(env, log.child({ component: "worker" }));
    case "simulator":
      return runSimulator(env, log.child({ component: "simulator" }));
  }
}

async function runApi(env: Env, log: Logger): Promise<RunningChild> {
  const db = await connectDb(env);
  const redis = await connectRedis(env);
  const queues = createQueues(redis);
  // The receiver's fast path keeps up to 4 connections busy (two delivery runs, live reads).
  const pgPool = createPgPool(env.DATABASE_URL, { max: 4 });
  // The api builds its services (outbox relay, live batcher, …) once, from this infrastructure.
  const api = await startApi(
    { env, db, pgPool, redis, queues, log: log.child({ component: "api" }), clock, consoleDir: CONSOLE_DIST },
    { port: env.PORT },
  ).catch((error: unknown) => {
    throw isAddressInUse(error)
      ? new StartupError(`Port ${env.PORT} is in use (PORT). Stop what listens there or set PORT.`)
      : error;
  });
  return {
    async close() {
      await api.close();
      await pgPool.end();
      await queues.close();
      redis.disconnect();
      await db.$disconnect();
    },
  };
}

async function runWorker(env: Env, log: Logger): Promise<RunningChild> {
  const db = await connectDb(env);
  const redis = await connectRedis(env);
  const queues = createQueues(redis);
  // Claims, marks and records of sends (two each) and the outbox relay.
  const pgPool = createPgPool(env.DATABASE_URL, { max: 8 });
  const worker = await startWorker({ env, db, pgPool, redis, queues, log, clock });
  return {
    async close() {
      await worker.close();
      await pgPool.end();
      await queues.close();
      redis.disconnect();
      await db.$disconnect();
    },
  };
}

/** In simulator mode the Cloud API simulator stands in for Meta: same token and app secret as the product. */
async function runSimulator(env: Env, log: Logger): Promise<RunningChild> {
  // Webhooks go straight to this machine's api (PUBLIC_URL may be a proxy not reachable from here).
  const simulator = await startSimulatorForProduct(env, {
    webhookUrl: `http://127.0.0.1:${env.PORT}/webhooks/whatsapp`,
    log,
  }).catch((error: unknown) => {
    throw new StartupError(
      `Cannot start the Cloud API simulator on port ${env.SIMULATOR_PORT} (${error instanceof Error ? error.message : String(error)}). ` +
        "Free the port or set SIMULATOR_PORT.",
    );
  });
  return { info: { url: simulator.url, phoneUrl: simulator.phoneUrl }, close: () => simulator.close() };
}

function isAddressInUse(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === "EADDRINUSE";
}
