/**
 * Child process of bench/routing.ts (child_process.fork): ONE worker process as `pnpm inbox serve worker` runs it
 * (BullMQ consumers with the default concurrency, the routing tick), so two of them assign at once.
 *   fork("routing-worker.ts", [databaseUrl, redisPrefix])
 * Messages: → {ready} once started; ← "stop" → {cpu} (% of one core), {cpuMs} (CPU time since start) and exit.
 */
import { parseEnv } from "@inbox/config";
import { createDb, createPgPool } from "@inbox/db";
import { TEST_REDIS_URL } from "@inbox/db/testing";
import { createRedis, JobQueues } from "@inbox/jobs";
import { createLogger } from "@inbox/logger";
import { META_METADATA } from "@inbox/whatsapp/fixtures";
import { startWorker } from "@inbox/worker";

const [databaseUrl, prefix] = process.argv.slice(2);
if (!databaseUrl || !prefix) throw new Error("usage: routing-worker.ts <databaseUrl> <prefix>");
const LOG_LEVEL = (process.env.LOG_LEVEL ?? "warn") as "warn";
const log = createLogger({ name: "bench-routing-worker", level: LOG_LEVEL, pretty: false });
process.on("disconnect", () => process.exit(0));

const env = parseEnv({
  DATABASE_URL: databaseUrl,
  LOG_LEVEL,
  WHATSAPP_ACCESS_TOKEN: "bench-token",
  WHATSAPP_APP_SECRET: "s",
  WHATSAPP_VERIFY_TOKEN: "v",
  WHATSAPP_PHONE_NUMBER_ID: META_METADATA.phone_number_id,
});
const db = createDb(databaseUrl);
const pgPool = createPgPool(databaseUrl, { max: 8 });
const redis = createRedis(TEST_REDIS_URL);
const queues = new JobQueues(redis, prefix);
const cpuBefore = process.cpuUsage();
const started = Date.now();
const worker = await startWorker(
  { env, db, pgPool, redis, queues, log, clock: () => new Date() },
  { scheduleTemplateSync: false, wakeSnoozedEveryMs: 0 },
);
process.send?.({ ready: true });

process.on("message", (m: unknown) => {
  if (m !== "stop") return;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const percent = Math.round((cpuMs / (Date.now() - started)) * 100);
  void (async () => {
    await worker.close();
    await queues.close();
    redis.disconnect();
    await pgPool.end();
    await db.$disconnect();
    process.send?.({ cpu: percent, cpuMs }, () => process.exit(0));
  })();
});
