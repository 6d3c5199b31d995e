/**
 * The real stack in-process, wired as `pnpm start` wires it in simulator mode (apps/cli/src/commands/start.ts):
 * a WhatsApp channel provisioned from the environment, the first admin, the Cloud API simulator sharing the
 * generated access token and app secret, the worker (BullMQ) and the api serving the built console — on a fresh
 * test database, a Redis prefix of its own and free loopback ports.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startApi, type RunningApi } from "@inbox/api";
import { parseEnv, type Env } from "@inbox/config";
import { ensureFirstAdmin, provisionWhatsAppChannel } from "@inbox/core";
import type { Channel } from "@inbox/db";
import { createTestDatabase, createTestRedisPrefix, TEST_REDIS_URL, type TestDatabase } from "@inbox/db/testing";
import { createRedis, JobQueues } from "@inbox/jobs";
import { createLogger } from "@inbox/logger";
import { startSimulatorForProduct, type ProductSimulator } from "@inbox/simulator";
import { startWorker, type RunningWorker } from "@inbox/worker";
import { DIST } from "./harness";

export interface FullStack {
  /** the api serving the console */
  url: string;
  simulator: ProductSimulator;
  env: Env;
  t: TestDatabase;
  prefix: string;
  channel: Channel;
  /** the first admin, as `pnpm start` prints it */
  admin: { email: string; password: string };
  /** POST to the simulator's control or customer API */
  simulatorPost<T = unknown>(pathname: string, body: unknown): Promise<T>;
  simulatorGet<T = unknown>(pathname: string): Promise<T>;
  close(): Promise<void>;
}

export async function startFullStack(): Promise<FullStack> {
  const log = createLogger({ name: "e2e-full", level: "silent", pretty: false });
  const t = await createTestDatabase();
  const prefix = createTestRedisPrefix();
  const mediaDir = mkdtempSync(path.join(os.tmpdir(), "inbox-e2e-media-"));
  const closers: (() => Promise<void>)[] = [];
  const redis = createRedis(TEST_REDIS_URL);
  redis.on("error", () => undefined);

  const close = async () => {
    for (const fn of closers.reverse()) await fn().catch(() => undefined);
    await deleteKeys(redis, prefix).catch(() => undefined);
    redis.disconnect();
    await t.drop();
    rmSync(mediaDir, { recursive: true, force: true });
  };

  try {
    // Simulator mode: no WHATSAPP_ACCESS_TOKEN, so parseEnv generates the token and app secret both sides share.
    const base = parseEnv({
      DATABASE_URL: t.url,
      REDIS_URL: TEST_REDIS_URL,
      LOG_LEVEL: "silent",
      MEDIA_DIR: mediaDir,
      NODE_ENV: "test",
    });
    // The simulator on a free port; its webhook target is set once the api listens (its port is not known yet).
    const simulator = await startSimulatorForProduct(base, {
      port: 0,
      host: "127.0.0.1",
      webhookUrl: "http://127.0.0.1:9/webhooks/whatsapp",
      log,
    });
    closers.push(() => simulator.close());
    const env: Env = {
      ...base,
      SIMULATOR_PORT: Number(new URL(simulator.url).port),
      GRAPH_API_URL: `${simulator.url}/v25.0`,
    };

    const channel = await provisionWhatsAppChannel(t.db, {
      phoneNumberId: env.WHATSAPP_PHONE_NUMBER_ID!,
      businessAccountId: env.WHATSAPP_BUSINESS_ACCOUNT_ID,
      displayNumber: env.WHATSAPP_DISPLAY_NUMBER,
      dataRegion: env.DATA_REGION,
    });
    const admin = await ensureFirstAdmin(t.db, env.FIRST_ADMIN_EMAIL);
    if (!admin) throw new Error("a fresh database must get a first admin");

    const queues = new JobQueues(redis, prefix);
    closers.push(() => queues.close());
    const infra = { env, db: t.db, pgPool: t.pgPool, redis, queues, log, clock: () => new Date() };
    const worker: RunningWorker = await startWorker(infra);
    closers.push(() => worker.close());
    const api: RunningApi = await startApi({ ...infra, consoleDir: DIST }, { port: 0, host: "127.0.0.1" });
    closers.push(() => api.close());

    const simulatorFetch = async <T>(pathname: string, init?: RequestInit): Promise<T> => {
      const res = await fetch(`${simulator.url}${pathname}`, init);
      if (!res.ok) throw new Error(`simulator ${pathname}: HTTP ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    const simulatorPost = <T>(pathname: string, body: unknown) =>
      simulatorFetch<T>(pathname, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    await simulatorPost("/_control/config", { webhookUrl: `${api.url}/webhooks/whatsapp` });

    return {
      url: api.url,
      simulator,
      env,
      t,
      prefix,
      channel,
      admin,
      simulatorPost,
      simulatorGet: (pathname) => simulatorFetch(pathname),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Removes every Redis key under the prefix (queues, job schedulers, live backlog, rate limits). */
async function deleteKeys(redis: ReturnType<typeof createRedis>, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== "0");
}
