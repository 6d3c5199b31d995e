/**
 * Child process of bench/outbound.ts (started with child_process.fork): ONE worker process as `pnpm inbox serve
 * worker` runs it (BullMQ, Redis limiter, dispatch gate, Prisma + the plain pg pool, keep-alive undici transport),
 * its Graph client routed per phone number to the simulators' ports. The parent stores the messages (as the api
 * would) in its own process, so this process's CPU is the worker's alone.
 *   fork("outbound-worker.ts", [databaseUrl, redisPrefix, JSON.stringify(ports), outboundConcurrency?])
 * (without a concurrency: WORKER_OUTBOUND_CONCURRENCY's default, as in production)
 * Messages: → {ready} once warmed up and started; ← "stop" → {stats} and exit.
 */
import { parseEnv } from "@inbox/config";
import type { MessageSender, Throttle } from "@inbox/core";
import { createDb, createPgPool } from "@inbox/db";
import { TEST_REDIS_URL } from "@inbox/db/testing";
import { createRedis, JobQueues } from "@inbox/jobs";
import { createLogger } from "@inbox/logger";
import { GraphClient, isGraphApiError } from "@inbox/whatsapp";
import { createGraphTransport, createRedisThrottle, startWorker } from "@inbox/worker";
import { phoneNumberIdFor } from "./outbound-numbers";

export interface WorkerStats {
  rateLimitHits: number;
  /** When each 130429 came back (epoch ms), for the HIST diagnostic. */
  rateLimitHitTimes: number[];
  sendAttempts: number;
  booked: number;
  /** CPU of this process from start to stop, % of one core. */
  cpu: number;
  /** The same CPU in ms (user + system): divided by the messages sent, the worker's CPU per send. */
  cpuMs: number;
}

const [databaseUrl, prefix, portsJson, concurrency] = process.argv.slice(2);
if (!databaseUrl || !prefix || !portsJson)
  throw new Error("usage: outbound-worker.ts <databaseUrl> <prefix> <portsJson> [concurrency]");
const TOKEN = "bench-token";
const LOG_LEVEL = (process.env.LOG_LEVEL ?? "warn") as "warn";
const log = createLogger({ name: "bench-worker", level: LOG_LEVEL, pretty: false });
process.on("disconnect", () => process.exit(0));

const ports = JSON.parse(portsJson) as number[];
const clients = new Map(
  ports.map((port, i) => [
    phoneNumberIdFor(i),
    new GraphClient({
      baseUrl: `http://127.0.0.1:${port}/v25.0`,
      accessToken: TOKEN,
      transport: createGraphTransport(),
    }),
  ]),
);
// Warm-up: Meta's edge is never cold, and a long-running worker has its connections open. A few real sends per
// number JIT the simulator's send path and open keep-alive connections; then 1.1 s pass, so they have left the
// simulator's sliding second before the clock starts. (A freshly started worker process is cold too: in
// production its first second can bunch a little; those 130429 are retried.)
for (let round = 0; round < 3; round++) {
  await Promise.all(
    [...clients].flatMap(([phoneNumberId, client]) =>
      Array.from({ length: 4 }, (_, k) =>
        client
          .sendMessage(phoneNumberId, {
            messaging_product: "whatsapp",
            recipient_type: "individual",
            to: `+4915999${round}${k}0000`,
            type: "text",
            text: { body: "warm-up" },
          })
          .catch(() => undefined),
      ),
    ),
  );
}
await new Promise((r) => setTimeout(r, 1_100));

const stats: WorkerStats = { rateLimitHits: 0, rateLimitHitTimes: [], sendAttempts: 0, booked: 0, cpu: 0, cpuMs: 0 };
const sender: MessageSender = {
  async sendMessage(phoneNumberId, body) {
    try {
      stats.sendAttempts++;
      return await clients.get(phoneNumberId)!.sendMessage(phoneNumberId, body);
    } catch (error) {
      if (isGraphApiError(error) && error.code === 130429) {
        stats.rateLimitHits++;
        stats.rateLimitHitTimes.push(Date.now());
      }
      throw error;
    }
  },
};
const redis = createRedis(TEST_REDIS_URL);
const queues = new JobQueues(redis, prefix);
// The worker's own Redis limiter, wrapped to count booked slots (booked − sends = slots re-booked after a miss).
const redisThrottle = createRedisThrottle(redis, prefix);
const throttle: Throttle = process.env.NO_THROTTLE
  ? async () => ({ isBooked: true, waitMs: 0 })
  : async (request) => {
      const slot = await redisThrottle(request);
      if (slot.isBooked) stats.booked++;
      return slot;
    };
const env = parseEnv({
  DATABASE_URL: databaseUrl,
  LOG_LEVEL,
  WHATSAPP_ACCESS_TOKEN: TOKEN,
  WHATSAPP_APP_SECRET: "s",
  WHATSAPP_VERIFY_TOKEN: "v",
  WHATSAPP_PHONE_NUMBER_ID: phoneNumberIdFor(0),
});
// Wired as `pnpm inbox serve worker` wires it.
const db = createDb(databaseUrl);
const pgPool = createPgPool(databaseUrl, { max: 8 });
const cpuBefore = process.cpuUsage();
const started = Date.now();
const worker = await startWorker(
  { env, db, pgPool, redis, queues, log, clock: () => new Date() },
  {
    services: { sender, throttle },
    scheduleTemplateSync: false,
    wakeSnoozedEveryMs: 0,
    ...(concurrency ? { concurrency: { outbound: Number(concurrency) } } : {}),
  },
);
process.send?.({ ready: true });

process.on("message", (m: unknown) => {
  if (m !== "stop") return;
  const cpu = process.cpuUsage(cpuBefore);
  stats.cpuMs = (cpu.user + cpu.system) / 1000;
  stats.cpu = Math.round((stats.cpuMs / (Date.now() - started)) * 100);
  void (async () => {
    await worker.close();
    await queues.close();
    redis.disconnect();
    await pgPool.end();
    await db.$disconnect();
    process.send?.({ stats }, () => process.exit(0));
  })();
});
