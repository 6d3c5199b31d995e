/**
 * Jobs the worker cannot run fail where operators look — BullMQ's failed set, with the reason, and an error in the
 * log — instead of completing silently: a name no handler is registered for, and a payload its schema refuses.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "@inbox/config";
import { createTestDatabase, createTestRedisPrefix, TEST_REDIS_URL, type TestDatabase } from "@inbox/db/testing";
import { createRedis, JobQueues } from "@inbox/jobs";
import { createLogger } from "@inbox/logger";
import { startWorker, type RunningWorker } from "./worker";

describe("jobs the worker cannot run", () => {
  let t: TestDatabase;
  let worker: RunningWorker;
  const lines: { level: number; msg: string; job?: string; jobId?: string }[] = [];
  const log = createLogger({
    name: "test",
    level: "info",
    destination: { write: (line: string) => void lines.push(JSON.parse(line) as (typeof lines)[number]) },
  });
  const redis = createRedis(TEST_REDIS_URL);
  const queues = new JobQueues(redis, createTestRedisPrefix());

  beforeAll(async () => {
    t = await createTestDatabase();
    const env = parseEnv({ DATABASE_URL: t.url, LOG_LEVEL: "silent" });
    const infra = { env, db: t.db, pgPool: t.pgPool, redis, queues, log, clock: () => new Date() };
    worker = await startWorker(infra, { scheduleTemplateSync: false, sweepEveryMs: 0, wakeSnoozedEveryMs: 0 });
  });
  afterAll(async () => {
    await worker.close();
    await queues.close();
    redis.disconnect();
    await t.drop();
  });

  const failedReason = async (queue: keyof JobQueues["queues"], jobId: string) => {
    const job = await queues.queues[queue].getJob(jobId);
    return { state: await job?.getState(), reason: job?.failedReason, attempts: job?.attemptsMade };
  };

  it("a job with an unknown name fails at once, with the reason, and is logged as an error", async () => {
    await queues.queues.inbound.add("contact.forget", { contactId: "x" }, { jobId: "unknown-name-1", attempts: 5 });
    await expect
      .poll(() => failedReason("inbound", "unknown-name-1"), { timeout: 10_000 })
      .toMatchObject({
        state: "failed",
        reason: 'No handler for job "contact.forget".',
      });
    // Not retried: an unknown name stays unknown.
    expect((await failedReason("inbound", "unknown-name-1")).attempts).toBe(1);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 50, msg: "job has no handler; failed", job: "contact.forget" }),
    );
  });

  it("a known job with a payload its schema refuses fails at once, naming the field, and is logged as an error", async () => {
    await queues.queues.outbound.add(
      "message.send",
      { messageId: "not-a-uuid" },
      { jobId: "bad-payload-1", attempts: 5 },
    );
    await expect
      .poll(() => failedReason("outbound", "bad-payload-1"), { timeout: 10_000 })
      .toMatchObject({
        state: "failed",
        reason: expect.stringMatching(/^Invalid payload for "message\.send": messageId: /),
      });
    expect((await failedReason("outbound", "bad-payload-1")).attempts).toBe(1);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 50, msg: "invalid job payload; failed", jobId: "bad-payload-1" }),
    );
  });
});
