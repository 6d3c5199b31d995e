/**
 * Redis restarted in the middle of a burst of sends. Redis here keeps nothing on disk, so the restart loses every
 * queued BullMQ job: the worker must reconnect by itself, and the sweeper must find the messages whose jobs are
 * gone. Runs its own redis-server on a free port (the shared one serves the other test files).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { parseEnv } from "@inbox/config";
import { queueOutboundMessage } from "@inbox/core";
import { createTestDatabase, createTestRedisPrefix, type TestDatabase } from "@inbox/db/testing";
import { createRedis, JobQueues } from "@inbox/jobs";
import { createLogger } from "@inbox/logger";
import { NO_RECEIVER, startTestSimulator, type TestSimulator } from "@inbox/simulator/testing";
import { startWorker } from "../worker";

const log = createLogger({ name: "test", level: process.env.TEST_LOG ?? "silent", pretty: false });
const MESSAGES = 40;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startRedisServer(port: number): Promise<ChildProcess> {
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  const probe = createRedis(`redis://127.0.0.1:${port}`, { lazyConnect: true, retryStrategy: () => null, connectTimeout: 500 });
  probe.on("error", () => undefined);
  for (let i = 0; i < 50; i++) {
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      return child;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error("redis-server did not start");
}

describe("Redis restarted during a burst of sends", () => {
  let t: TestDatabase;
  let sim: TestSimulator;
  let port: number;
  let server: ChildProcess;

  beforeAll(async () => {
    t = await createTestDatabase();
    sim = await startTestSimulator(NO_RECEIVER, { webhookMaxAttempts: 1, isAutoRead: false, log });
    port = await freePort();
    server = await startRedisServer(port);
  });
  afterAll(async () => {
    server.kill("SIGKILL");
    await sim.close();
    await t.drop();
  });

  it("the worker reconnects, the sweeper re-queues the jobs Redis lost, and every message is sent exactly once", async () => {
    const channel = await t.db.channel.create({ data: { type: "whatsapp", name: "WhatsApp", externalId: sim.productEnv.WHATSAPP_PHONE_NUMBER_ID!, throughputLimit: 20 } });
    const redis = createRedis(`redis://127.0.0.1:${port}`);
    redis.on("error", () => undefined);
    const queues = new JobQueues(redis, createTestRedisPrefix());
    for (const q of Object.values(queues.queues)) q.on("error", () => undefined);
    const env = parseEnv({ LOG_LEVEL: "silent", ...sim.productEnv, REDIS_URL: `redis://127.0.0.1:${port}` });
    const worker = await startWorker(
      { env, db: t.db, redis, queues, log },
      // Few jobs active at once, so most of the burst waits in Redis when it goes away.
      { scheduleTemplateSync: false, wakeSnoozedEveryMs: 0, concurrency: { outbound: 4 }, sweepEveryMs: 300, sweep: { queuedForMs: 1_500, sendingForMs: 60_000 } },
    );
    try {
      const ids: string[] = [];
      for (let i = 0; i < MESSAGES; i++) {
        const contact = await t.db.contact.create({ data: { channelId: channel.id, waId: `4915300${String(i).padStart(5, "0")}` } });
        const conversation = await t.db.conversation.create({
          data: { channelId: channel.id, contactId: contact.id, activeContactId: contact.id, lastInboundAt: new Date() },
        });
        const { message } = await queueOutboundMessage({ db: t.db }, { conversationId: conversation.id, body: { type: "text", text: `Nachricht ${i}`, clientId: `r${i}` } });
        ids.push(message.id);
      }
      // At 20 msg/s the burst takes ~2 s: restart Redis when part of it went out.
      await expect.poll(() => t.db.message.count({ where: { id: { in: ids }, status: { in: ["sent", "delivered", "read"] } } }), { timeout: 10_000, interval: 50 }).toBeGreaterThan(5);
      server.kill("SIGKILL");
      await new Promise((r) => setTimeout(r, 300));
      server = await startRedisServer(port);

      await expect
        .poll(() => t.db.message.count({ where: { id: { in: ids }, externalId: { not: null } } }), { timeout: 30_000, interval: 200 })
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
