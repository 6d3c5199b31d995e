/**
 * Redis restarted in the middle of a burst of sends. Redis here keeps nothing on disk, so the restart loses every
 * queued BullMQ job: the worker must reconnect by itself, and the sweeper must find the messages whose jobs are
 * gone. Runs its own redis-server (the shared one serves the other test files).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "@inbox/config";
import { queueOutboundMessage } from "@inbox/core";
import { queueDepsFor } from "@inbox/core/testing";
import {
  createTestDatabase,
  createTestRedisPrefix,
  startTestRedisServer,
  type TestDatabase,
  type TestRedisServer,
} from "@inbox/db/testing";
import { createRedis, JobQueues } from "@inbox/jobs";
import { createLogger } from "@inbox/logger";
import { NO_RECEIVER, startTestSimulator, type TestSimulator } from "@inbox/simulator/testing";
import { startWorker } from "../worker";

const log = createLogger({ name: "test", level: process.env.TEST_LOG ?? "silent", pretty: false });
const MESSAGES = 40;

describe("Redis restarted during a burst of sends", () => {
  let t: TestDatabase;
  let sim: TestSimulator;
  let server: TestRedisServer;

  beforeAll(async () => {
    t = await createTestDatabase();
    sim = await startTestSimulator(NO_RECEIVER, { webhookMaxAttempts: 1, isAutoRead: false, log });
    server = await startTestRedisServer();
  });
  afterAll(async () => {
    await server.stop();
    await sim.close();
    await t.drop();
  });

  it("the worker reconnects, the sweeper re-queues the jobs Redis lost, and every message is sent exactly once", async () => {
    const channel = await t.db.channel.create({
      data: {
        type: "whatsapp",
        name: "WhatsApp",
        externalId: sim.productEnv.WHATSAPP_PHONE_NUMBER_ID!,
        throughputLimit: 10,
      },
    });
    const redis = createRedis(server.url);
    redis.on("error", () => undefined);
    const queues = new JobQueues(redis, createTestRedisPrefix());
    for (const q of Object.values(queues.queues)) q.on("error", () => undefined);
    const env = parseEnv({ LOG_LEVEL: "silent", ...sim.productEnv, REDIS_URL: server.url });
    // The whole burst is queued (outbox rows) before the worker starts, so it begins at once, whatever the load.
    const ids: string[] = [];
    for (let i = 0; i < MESSAGES; i++) {
      const contact = await t.db.contact.create({
        data: { channelId: channel.id, waId: `4915300${String(i).padStart(5, "0")}` },
      });
      const conversation = await t.db.conversation.create({
        data: { channelId: channel.id, contactId: contact.id, activeContactId: contact.id, lastInboundAt: new Date() },
      });
      const { message } = await queueOutboundMessage(queueDepsFor(t.db), {
        conversationId: conversation.id,
        body: { type: "text", text: `Nachricht ${i}`, clientId: `r${i}` },
      });
      ids.push(message.id);
    }
    const worker = await startWorker(
      { env, db: t.db, pgPool: t.pgPool, redis, queues, log, clock: () => new Date() },
      // Few jobs active at once, so most of the burst waits in Redis when it goes away.
      {
        scheduleTemplateSync: false,
        wakeSnoozedEveryMs: 0,
        concurrency: { outbound: 4 },
        sweepEveryMs: 300,
        sweep: { queuedForMs: 1_500, sendingForMs: 60_000 },
      },
    );
    try {
      // At 10 msg/s the burst takes ~4 s: restart Redis when a few went out.
      await expect
        .poll(() => t.db.message.count({ where: { id: { in: ids }, status: { in: ["sent", "delivered", "read"] } } }), {
          timeout: 10_000,
          interval: 20,
        })
        .toBeGreaterThan(2);
      await server.stop();
      // Start it again only once the product has noticed: its connection lost Redis.
      await expect.poll(() => redis.status).not.toBe("ready");
      await server.start();

      await expect
        .poll(() => t.db.message.count({ where: { id: { in: ids }, externalId: { not: null } } }), {
          timeout: 30_000,
          interval: 200,
        })
        .toBe(MESSAGES);
      const stored = await t.db.message.findMany({ where: { id: { in: ids } } });
      // The restart really lost jobs: the sweeper had to give messages new ones.
      expect(await t.db.outboxJob.count({ where: { jobId: { contains: "-sweep-" } } })).toBeGreaterThan(0);
      expect(stored.filter((m) => m.status === "failed")).toEqual([]);
      // Exactly once at "Meta": one accepted send per recipient (each message went to its own customer), and each
      // stored wamid is one of them.
      const ours = [...sim.sim.outbound.entries()].filter(([, o]) => o.customerId.includes("4915300"));
      expect(ours).toHaveLength(MESSAGES);
      expect(new Set(ours.map(([, o]) => o.customerId)).size).toBe(MESSAGES);
      const wamids = new Set(ours.map(([wamid]) => wamid));
      expect(stored.every((m) => wamids.has(m.externalId!))).toBe(true);
    } finally {
      await worker.close();
      await queues.close().catch(() => undefined);
      redis.disconnect();
    }
  }, 60_000);
});
