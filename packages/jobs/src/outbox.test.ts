import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, createTestRedisPrefix, TEST_REDIS_URL, type TestDatabase } from "@inbox/db/testing";
import { createLogger } from "@inbox/logger";
import { drainOutbox, enqueueInTransaction, type OutboxSource } from "./outbox";
import { ADD_BULK_CHUNK, createRedis, JobQueues } from "./queues";

const log = createLogger({ name: "test", level: "silent", pretty: false });
let t: TestDatabase;
const redis = createRedis(TEST_REDIS_URL);

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  redis.disconnect();
  await t.drop();
});

async function queueSends(count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  await t.db.$transaction((tx) =>
    enqueueInTransaction(
      tx,
      ids.map((messageId) => ({
        name: "message.send" as const,
        payload: { messageId },
        jobId: `message.send-${messageId}`,
      })),
    ),
  );
  return ids;
}

describe.each<[string, () => OutboxSource]>([
  ["Prisma", () => t.db],
  ["the plain pg pool", () => ({ db: t.db, pool: t.pgPool })],
])("drainOutbox on %s", (_label, source) => {
  it("hands every due row to BullMQ once, in chunks, and marks it dispatched", async () => {
    const queues = new JobQueues(redis, createTestRedisPrefix());
    const ids = await queueSends(ADD_BULK_CHUNK * 2 + 7);
    const first = await drainOutbox(source(), queues, log, 1_000);
    expect(first).toEqual({ dispatched: ids.length, failed: 0 });
    expect(await drainOutbox(source(), queues, log)).toEqual({ dispatched: 0, failed: 0 });
    const jobs = await queues.queues.outbound.getJobs(["waiting", "delayed"]);
    expect(new Set(jobs.map((j) => (j.data as { messageId: string }).messageId))).toEqual(new Set(ids));
    expect(await t.db.outboxJob.count({ where: { dispatchedAt: null } })).toBe(0);
    await queues.close();
  });

  it("leaves the rows in Postgres, with the error, while Redis is unreachable", async () => {
    const dead = createRedis("redis://127.0.0.1:1", {
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
    });
    dead.on("error", () => undefined);
    const queues = new JobQueues(dead, createTestRedisPrefix());
    for (const q of Object.values(queues.queues)) q.on("error", () => undefined);
    const [id] = await queueSends(1);
    expect(await drainOutbox(source(), queues, log)).toEqual({ dispatched: 0, failed: 1 });
    const row = await t.db.outboxJob.findUniqueOrThrow({ where: { jobId: `message.send-${id}` } });
    expect(row).toMatchObject({ dispatchedAt: null, attempts: 1 });
    expect(row.lastError).toBeTruthy();
    await queues.close().catch(() => undefined);
    dead.disconnect();
    // Drained for real afterwards, so the next test starts from an empty outbox.
    const live = new JobQueues(redis, createTestRedisPrefix());
    expect((await drainOutbox(source(), live, log)).dispatched).toBe(1);
    await live.close();
  });

  it("holds no transaction while Redis takes the jobs; the claimed rows are left to it by a concurrent drain", async () => {
    const queues = new JobQueues(redis, createTestRedisPrefix());
    const ids = await queueSends(3);
    const seen: { openTransactions: number; concurrent: number }[] = [];
    const slow = Object.create(queues) as JobQueues;
    slow.addBulk = async (jobs) => {
      const [{ open } = { open: -1 }] = await t.db.$queryRaw<{ open: number }[]>`
        SELECT count(*)::int AS open FROM pg_stat_activity
         WHERE datname = current_database() AND state LIKE 'idle in transaction%'`;
      const concurrent = await drainOutbox(source(), queues, log);
      seen.push({ openTransactions: open, concurrent: concurrent.dispatched });
      return queues.addBulk(jobs);
    };
    expect(await drainOutbox(source(), slow, log)).toEqual({ dispatched: 3, failed: 0 });
    expect(seen).toEqual([{ openTransactions: 0, concurrent: 0 }]);
    const jobs = await queues.queues.outbound.getJobs(["waiting", "delayed"]);
    expect(jobs.map((j) => (j.data as { messageId: string }).messageId).sort()).toEqual([...ids].sort());
    await queues.close();
  });

  it("hands over again the rows of a relay that died after claiming them, once the claim ran out", async () => {
    const queues = new JobQueues(redis, createTestRedisPrefix());
    const [id] = await queueSends(1);
    const jobId = `message.send-${id}`;
    // A relay claimed the row and died before Redis took it.
    await t.db.outboxJob.update({ where: { jobId }, data: { claimedUntil: new Date(Date.now() + 60_000) } });
    expect(await drainOutbox(source(), queues, log)).toEqual({ dispatched: 0, failed: 0 });
    await t.db.outboxJob.update({ where: { jobId }, data: { claimedUntil: new Date(Date.now() - 1_000) } });
    expect(await drainOutbox(source(), queues, log)).toEqual({ dispatched: 1, failed: 0 });
    expect(await t.db.outboxJob.findUniqueOrThrow({ where: { jobId } })).toMatchObject({ claimedUntil: null });
    expect(await t.db.outboxJob.count({ where: { dispatchedAt: null } })).toBe(0);
    await queues.close();
  });
});
