import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "@inbox/config";
import { createLivePublisher, subscribeLiveEvents } from "@inbox/core";
import { createTestDatabase, createTestRedisPrefix, TEST_REDIS_URL, type TestDatabase } from "@inbox/db/testing";
import { createRedis, JobQueues } from "@inbox/jobs";
import { createLogger } from "@inbox/logger";
import type { WorkerDeps, WorkerInfra } from "../context";
import { createWorkerServices } from "../services";
import { startWorker } from "../worker";
import { handleConversationWake } from "./conversation-wake";

/** These handlers never defer their job. */
const noDefer = (): Promise<never> => Promise.reject(new Error("not deferred"));

type LiveEnvelope = Parameters<Parameters<typeof subscribeLiveEvents>[2]>[0];
const log = createLogger({ name: "test", level: "silent", pretty: false });

let t: TestDatabase;
let infra: WorkerInfra;
let deps: WorkerDeps;
let channelId: string;
const redis = createRedis(TEST_REDIS_URL);
const prefix = createTestRedisPrefix();

beforeAll(async () => {
  t = await createTestDatabase();
  const channel = await t.db.channel.create({ data: { type: "whatsapp", name: "WA", externalId: "100000000000009" } });
  channelId = channel.id;
  const queues = new JobQueues(redis, prefix);
  infra = {
    env: parseEnv({ LOG_LEVEL: "silent" }),
    db: t.db,
    pgPool: t.pgPool,
    redis,
    queues,
    log,
    clock: () => new Date(),
  };
  deps = { ...infra, ...createWorkerServices(infra) };
  // Live events are best effort and dropped while the connection is still coming up: wait until it is ready.
  await redis.ping();
});
afterAll(async () => {
  await deps.close();
  await deps.queues.close();
  redis.disconnect();
  await t.drop();
});

let n = 0;
async function conversation(status: "open" | "pending" | "resolved", snoozedUntil: Date | null) {
  const contact = await t.db.contact.create({ data: { channelId, waId: `49170555${String(++n).padStart(4, "0")}` } });
  return t.db.conversation.create({
    data: {
      channelId,
      contactId: contact.id,
      activeContactId: status === "resolved" ? null : contact.id,
      status,
      snoozedUntil,
    },
  });
}

describe("conversation.wake", () => {
  it("reopens snoozed conversations whose time has come, leaves the others, and tells consoles", async () => {
    const due = await conversation("pending", new Date(Date.now() - 1_000));
    const later = await conversation("pending", new Date(Date.now() + 3_600_000));
    const plainPending = await conversation("pending", null);
    const sub = redis.duplicate();
    const got: LiveEnvelope[] = [];
    const subscription = await subscribeLiveEvents(sub, prefix, (e) => got.push(e));

    await handleConversationWake({}, { deps, log, attemptsMade: 0, maxAttempts: 1, startedCount: 1, defer: noDefer });

    const status = async (id: string) =>
      t.db.conversation.findUniqueOrThrow({ where: { id }, select: { status: true, snoozedUntil: true } });
    expect(await status(due.id)).toEqual({ status: "open", snoozedUntil: null });
    expect(await status(later.id)).toMatchObject({ status: "pending" });
    expect((await status(later.id)).snoozedUntil).not.toBeNull();
    expect(await status(plainPending.id)).toEqual({ status: "pending", snoozedUntil: null });
    await expect.poll(() => got.length, { timeout: 5_000 }).toBeGreaterThan(0);
    expect(got.map((e) => e.event)).toEqual([
      expect.objectContaining({
        type: "conversation.updated",
        conversation: expect.objectContaining({ id: due.id, status: "open" }),
      }),
    ]);

    // Running again wakes nothing and publishes nothing.
    await handleConversationWake({}, { deps, log, attemptsMade: 0, maxAttempts: 1, startedCount: 1, defer: noDefer });
    await deps.live.flush();
    // A fence on the same connection: pub/sub keeps order, so anything the run published arrives before it.
    await createLivePublisher(redis, prefix, log).publish([{ type: "presence", userId: "fence", isOnline: true }]);
    await expect.poll(() => got.some((e) => e.event.type === "presence")).toBe(true);
    expect(got).toHaveLength(2);
    await subscription.close();
    sub.disconnect();
  });

  it("the worker schedules it: a snoozed conversation reopens by itself", async () => {
    const soon = await conversation("pending", new Date(Date.now() + 300));
    const worker = await startWorker(infra, { scheduleTemplateSync: false, sweepEveryMs: 0, wakeSnoozedEveryMs: 200 });
    try {
      await expect
        .poll(async () => (await t.db.conversation.findUniqueOrThrow({ where: { id: soon.id } })).status, {
          timeout: 10_000,
          interval: 100,
        })
        .toBe("open");
    } finally {
      await worker.close();
    }
  });
});
