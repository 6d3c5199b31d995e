/**
 * The outbound sweeper against real Postgres, Redis/BullMQ and the Cloud API simulator on loopback: messages no
 * job will pick up again are re-enqueued; stale `sending` ones are resolved per the documented guarantee (never
 * re-sent blindly); messages with a live job, or on a paused channel, are left alone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "@inbox/config";
import { queueOutboundMessage } from "@inbox/core";
import { queueDepsFor } from "@inbox/core/testing";
import { createTestDatabase, createTestRedisPrefix, TEST_REDIS_URL, type TestDatabase } from "@inbox/db/testing";
import { createRedis, drainOutbox, JobQueues } from "@inbox/jobs";
import { createLogger } from "@inbox/logger";
import { NO_RECEIVER, startTestSimulator, type TestSimulator } from "@inbox/simulator/testing";
import { startWorker } from "../worker";
import type { WorkerDeps, WorkerInfra } from "../context";
import { createWorkerServices } from "../services";
import { pruneOutboxOnce, sweepOutboundOnce, sweepStatusesOnce } from "./sweeper";
import { sweepWhenUnlocked } from "./run-unlocked.testing";

const PHONE_NUMBER_ID = "100000000000001";
const log = createLogger({ name: "test", level: "silent", pretty: false });

describe("outbound sweeper", () => {
  let t: TestDatabase;
  let sim: TestSimulator;
  let infra: WorkerInfra;
  let deps: WorkerDeps;
  const redis = createRedis(TEST_REDIS_URL);
  const queues = new JobQueues(redis, createTestRedisPrefix());
  let channelId: string;
  let n = 0;

  beforeAll(async () => {
    t = await createTestDatabase();
    sim = await startTestSimulator(NO_RECEIVER, {
      phoneNumberId: PHONE_NUMBER_ID,
      webhookMaxAttempts: 1,
      isAutoRead: false,
      log,
    });
    const env = parseEnv({ LOG_LEVEL: "silent", ...sim.productEnv });
    infra = { env, db: t.db, pgPool: t.pgPool, redis, queues, log, clock: () => new Date() };
    deps = { ...infra, ...createWorkerServices(infra) };
    channelId = (
      await t.db.channel.create({ data: { type: "whatsapp", name: "WhatsApp", externalId: PHONE_NUMBER_ID } })
    ).id;
  });
  afterAll(async () => {
    await deps.close();
    await sim.close();
    await queues.close();
    redis.disconnect();
    await t.drop();
  });

  /** A queued text whose outbox row was dispatched long ago, and whose job is gone (failed all attempts, Redis lost it). */
  async function orphan(opts: { channel?: string; status?: "queued" | "sending"; ageMs?: number } = {}) {
    n++;
    const channel = opts.channel ?? channelId;
    const contact = await t.db.contact.create({
      data: { channelId: channel, waId: `4915200${String(n).padStart(5, "0")}` },
    });
    const conversation = await t.db.conversation.create({
      data: { channelId: channel, contactId: contact.id, activeContactId: contact.id, lastInboundAt: new Date() },
    });
    const { message } = await queueOutboundMessage(queueDepsFor(t.db), {
      conversationId: conversation.id,
      body: { type: "text", text: "Hallo", clientId: `s${n}` },
    });
    const past = new Date(Date.now() - (opts.ageMs ?? 30 * 60_000));
    await t.db.outboxJob.updateMany({ where: { dispatchedAt: null }, data: { dispatchedAt: past } });
    await t.db.message.update({
      where: { id: message.id },
      data: {
        status: opts.status ?? "queued",
        statusAt: past,
        ...(opts.status === "sending" ? { sendStartedAt: past, attempts: 1 } : {}),
      },
    });
    return message.id;
  }
  const stored = (id: string) => t.db.message.findUniqueOrThrow({ where: { id } });
  const sweep = () => sweepWhenUnlocked(() => sweepOutboundOnce(deps, { lockMs: 1 }));

  it("re-enqueues a long-queued message without a job and the worker sends it; a stale `sending` one becomes unconfirmed, not re-sent", async () => {
    const queued = await orphan();
    const sending = await orphan({ status: "sending" });
    const fresh = await orphan({ ageMs: 1_000 });
    const before = sim.sim.outbound.size;

    const result = await sweep();
    expect(new Set(result.requeued)).toEqual(new Set([queued, sending]));
    const worker = await startWorker(infra, { scheduleTemplateSync: false, sweepEveryMs: 0 });
    try {
      await drainOutbox(t.db, queues, log);
      await expect.poll(async () => (await stored(queued)).status, { timeout: 15_000, interval: 100 }).toBe("sent");
      await expect.poll(async () => (await stored(sending)).status, { timeout: 15_000, interval: 100 }).toBe("failed");
    } finally {
      await worker.close();
    }
    expect(await stored(sending)).toMatchObject({ errorTitle: "delivery_unconfirmed", externalId: null });
    expect(await stored(fresh)).toMatchObject({ status: "queued" });
    expect(sim.sim.outbound.size).toBe(before + 1);
    // Nothing left to sweep: the sent one is done, the failed one is final, the fresh one is not stale yet.
    expect((await sweep()).requeued).toEqual([]);
  });

  it("leaves alone messages that still have a live job, messages with an undispatched outbox row, and paused channels", async () => {
    const withJob = await orphan();
    await queues.add(
      "message.send",
      { messageId: withJob },
      { jobId: `message.send-${withJob}-later`, delayMs: 60_000 },
    );
    const inOutbox = await orphan();
    const paused = await t.db.channel.create({
      data: { type: "whatsapp", name: "Paused", externalId: "100000000000002", status: "paused", statusReason: "190" },
    });
    const onPaused = await orphan({ channel: paused.id });
    // Redis was down: the row waits in Postgres for the relay.
    await t.db.outboxJob.create({
      data: { name: "message.send", payload: { messageId: inOutbox }, jobId: `message.send-${inOutbox}-pending` },
    });

    const result = await sweep();
    expect(result.requeued).toEqual([]);
    for (const id of [withJob, inOutbox, onPaused]) expect(await stored(id)).toMatchObject({ status: "queued" });
  });

  it("runs in one worker process at a time (Redis lock)", async () => {
    const first = sweepOutboundOnce(deps, { lockMs: 5_000 });
    const second = sweepOutboundOnce(deps, { lockMs: 5_000 });
    const results = await Promise.all([first, second]);
    expect(results.filter((r) => r === null)).toHaveLength(1);
    await redis.del(`${queues.prefix}:outbound-sweep-lock`);
  });

  it("prunes outbox rows dispatched more than a day ago, and only those", async () => {
    const day = 24 * 3600_000;
    const row = (jobId: string, dispatchedAt: Date | null) =>
      t.db.outboxJob.create({
        data: { name: "conversation.wake", payload: {}, jobId, dispatchedAt },
      });
    await row("conversation.wake-prune-old", new Date(Date.now() - 2 * day));
    await row("conversation.wake-prune-recent", new Date(Date.now() - day / 2));
    await row("conversation.wake-prune-waiting", null);
    expect(await sweepWhenUnlocked(() => pruneOutboxOnce(deps, { lockMs: 1 }))).toBeGreaterThanOrEqual(1);
    const left = await t.db.outboxJob.findMany({ where: { jobId: { startsWith: "conversation.wake-prune-" } } });
    expect(left.map((r) => r.jobId).sort()).toEqual([
      "conversation.wake-prune-recent",
      "conversation.wake-prune-waiting",
    ]);
  });

  it("applies a status report that overtook its message's wamid and stayed unapplied", async () => {
    const id = await orphan({ status: "sending" });
    // The race the sweep is for: the report was stored unapplied, then the wamid was recorded without seeing it.
    await t.db.message.update({ where: { id }, data: { externalId: "wamid.overtaken-1", status: "sent" } });
    const old = new Date(Date.now() - 5 * 60_000);
    await t.db.messageStatusEvent.create({
      data: { channelId, externalId: "wamid.overtaken-1", status: "read", occurredAt: old, createdAt: old },
    });
    const statusSweep = () => sweepWhenUnlocked(() => sweepStatusesOnce(deps, { lockMs: 1 }));
    expect(await statusSweep()).toEqual({ applied: 1, updatedMessageIds: [id] });
    expect(await stored(id)).toMatchObject({ status: "read" });
    expect(
      (await t.db.messageStatusEvent.findFirstOrThrow({ where: { externalId: "wamid.overtaken-1" } })).messageId,
    ).toBe(id);
    // Nothing left to do on the next round.
    expect(await statusSweep()).toMatchObject({ applied: 0 });
  });
});
