/**
 * Redis restarted in the middle of a burst of sends, and after new conversations' route jobs were handed to it. Redis
 * here keeps nothing on disk, so the restart loses every queued BullMQ job: the worker must reconnect by itself, and
 * the sweeper must find the messages and conversations whose jobs are gone. Runs its own redis-server (the shared
 * one serves the other test files).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "@inbox/config";
import { applyWhatsAppDelivery, ChannelDirectory, queueOutboundMessage } from "@inbox/core";
import { queueDepsFor } from "@inbox/core/testing";
import {
  createTestDatabase,
  createTestRedisPrefix,
  startTestRedisServer,
  type TestDatabase,
  type TestRedisServer,
} from "@inbox/db/testing";
import { createRedis, drainOutbox, JobQueues } from "@inbox/jobs";
import { createLogger } from "@inbox/logger";
import { NO_RECEIVER, startTestSimulator, type TestSimulator } from "@inbox/simulator/testing";
import { parseWebhookDelivery } from "@inbox/whatsapp";
import { TEXT_MESSAGE_WEBHOOK } from "@inbox/whatsapp/fixtures";
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

  it("new conversations whose route jobs Redis lost are routed and greeted by the sweeper, each once", async () => {
    const team = await t.db.team.create({
      data: { name: "Empfang", greetingMessage: { de: "Willkommen beim Empfang!", en: "Welcome!" } },
    });
    const channel = await t.db.channel.create({
      data: { type: "whatsapp", name: "WhatsApp Empfang", externalId: "route-sweep-number", defaultTeamId: team.id },
    });
    const redis = createRedis(server.url);
    redis.on("error", () => undefined);
    const queues = new JobQueues(redis, createTestRedisPrefix());
    for (const q of Object.values(queues.queues)) q.on("error", () => undefined);
    const env = parseEnv({ LOG_LEVEL: "silent", ...sim.productEnv, REDIS_URL: server.url });
    // Five customers write first: the webhook receiver's write path opens their conversations, each with its route
    // job in the outbox, and the outbox relay hands the jobs to Redis — which then restarts empty, before any worker ran.
    const CUSTOMERS = 5;
    const conversationIds: string[] = [];
    for (let i = 0; i < CUSTOMERS; i++) {
      const raw = structuredClone(TEXT_MESSAGE_WEBHOOK) as unknown as {
        entry: {
          changes: {
            value: {
              metadata: { phone_number_id: string };
              contacts: { wa_id: string }[];
              messages: { from: string; id: string; timestamp: string }[];
            };
          }[];
        }[];
      };
      const value = raw.entry[0]!.changes[0]!.value;
      value.metadata.phone_number_id = channel.externalId;
      value.contacts[0]!.wa_id = value.messages[0]!.from = `4915400${String(i).padStart(5, "0")}`;
      value.messages[0]!.id = `wamid.route-sweep-${i}`;
      value.messages[0]!.timestamp = String(Math.floor(Date.now() / 1000));
      const parsed = parseWebhookDelivery(raw);
      if (!parsed.ok) throw new Error(parsed.issues.join());
      const stored = await applyWhatsAppDelivery({ db: t.db, channels: new ChannelDirectory(0) }, parsed.delivery);
      conversationIds.push(...stored.conversationIds);
    }
    expect(conversationIds).toHaveLength(CUSTOMERS);
    expect((await drainOutbox({ db: t.db }, queues, log)).dispatched).toBeGreaterThanOrEqual(CUSTOMERS);
    expect(await queues.queues.inbound.getJobCounts("waiting")).toMatchObject({ waiting: CUSTOMERS });
    await server.stop();
    await expect.poll(() => redis.status).not.toBe("ready");
    await server.start();
    await expect.poll(() => redis.status, { timeout: 10_000 }).toBe("ready");
    expect(await queues.queues.inbound.getJobCounts("waiting")).toMatchObject({ waiting: 0 });

    const worker = await startWorker(
      { env, db: t.db, pgPool: t.pgPool, redis, queues, log, clock: () => new Date() },
      {
        scheduleTemplateSync: false,
        wakeSnoozedEveryMs: 0,
        sweepEveryMs: 300,
        sweep: { routing: { unroutedForMs: 500 } },
      },
    );
    const ours = { id: { in: conversationIds } };
    try {
      await expect
        .poll(() => t.db.conversation.count({ where: { ...ours, routedAt: { not: null } } }), { timeout: 20_000 })
        .toBe(CUSTOMERS);
      const greetings = () =>
        t.db.message.groupBy({
          by: ["conversationId"],
          where: { conversationId: { in: conversationIds }, direction: "outbound" },
          _count: true,
        });
      await expect.poll(async () => (await greetings()).length, { timeout: 10_000 }).toBe(CUSTOMERS);
      // Several more sweep rounds: nothing is routed or greeted a second time.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect((await greetings()).map((g) => g._count)).toEqual(Array(CUSTOMERS).fill(1));
      expect(
        await t.db.message.count({ where: { conversationId: { in: conversationIds }, direction: "outbound" } }),
      ).toBe(CUSTOMERS);
      expect(
        await t.db.message.findFirst({ where: { conversationId: conversationIds[0], direction: "outbound" } }),
      ).toMatchObject({ text: "Willkommen beim Empfang!" });
      const conversations = await t.db.conversation.findMany({ where: ours });
      expect(conversations.every((c) => c.teamId === team.id && c.queuedAt !== null)).toBe(true);
      expect(
        await t.db.outboxJob.count({ where: { name: "conversation.route", jobId: { contains: "-sweep-" } } }),
      ).toBe(CUSTOMERS);
    } finally {
      await worker.close();
      await queues.close().catch(() => undefined);
      redis.disconnect();
    }
  }, 60_000);
});
