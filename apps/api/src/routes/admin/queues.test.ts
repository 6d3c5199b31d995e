import { randomUUID } from "node:crypto";
import { Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, createTestRedisPrefix, TEST_REDIS_URL, type TestDatabase } from "@inbox/db/testing";
import { createRedis, JobQueues } from "@inbox/jobs";
import { createLogger } from "@inbox/logger";
import { asUser, createRouteTestApp } from "../../test/route-app";
import type { ApiDeps, App } from "../../types";
import { adminQueueRoutes } from "./queues";

/**
 * The admins' queue view on real BullMQ queues in Redis: counts, the oldest waiting job, failed jobs with reason and
 * attempts, retry one / all, remove — admins only, each change in the audit log.
 */
describe("/api/admin/queues…", () => {
  let t: TestDatabase;
  let app: App;
  let queues: JobQueues;
  const redis = createRedis(TEST_REDIS_URL);
  const log = createLogger({ name: "test", level: "silent", pretty: false });
  const admin = { id: randomUUID(), role: "admin" as const, teamIds: [] };
  const lead = { id: randomUUID(), role: "lead" as const, teamIds: [] };
  const ids = Array.from({ length: 3 }, () => randomUUID());

  const call = (method: "GET" | "POST" | "DELETE", url: string, user: object | null = admin) =>
    app.inject({ method, url, headers: asUser(user) });

  beforeAll(async () => {
    t = await createTestDatabase();
    queues = new JobQueues(redis, createTestRedisPrefix());
    app = createRouteTestApp(log);
    await app.register(adminQueueRoutes({ db: t.db, queues } as unknown as ApiDeps));
    await app.ready();
    await t.db.user.create({ data: { id: admin.id, email: "admin@example.test", name: "A", passwordHash: "x" } });
    // Three media downloads fail for good (one attempt each); a route job waits.
    for (const id of ids) {
      await queues.queues.inbound.add("media.download", { mediaAssetId: id }, { jobId: `media-${id}`, attempts: 1 });
    }
    const worker = new Worker(
      "inbound",
      (job) => {
        throw new Error(`provider answered 404 for ${String((job.data as { mediaAssetId: string }).mediaAssetId)}`);
      },
      { connection: redis.duplicate(), prefix: queues.prefix },
    );
    for (let i = 0; i < 100 && (await queues.queues.inbound.getFailedCount()) < 3; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await worker.close();
    await queues.queues.inbound.add("conversation.route", { conversationId: randomUUID() }, { jobId: "waiting-1" });
  });
  afterAll(async () => {
    await app.close();
    await queues.close();
    redis.disconnect();
    await t.drop();
  });

  it("refuses everyone but admins", async () => {
    expect((await call("GET", "/api/admin/queues", null)).statusCode).toBe(401);
    expect((await call("GET", "/api/admin/queues", lead)).statusCode).toBe(403);
    expect((await call("POST", "/api/admin/queues/inbound/failed/retry", lead)).statusCode).toBe(403);
    expect((await call("DELETE", `/api/admin/queues/inbound/jobs/media-${ids[0]}`, lead)).statusCode).toBe(403);
    expect(await queues.queues.inbound.getFailedCount()).toBe(3);
  });

  it("lists every queue with counts and the oldest waiting job's age", async () => {
    const res = await call("GET", "/api/admin/queues");
    expect(res.statusCode).toBe(200);
    const { items } = res.json<{
      items: { name: string; counts: Record<string, number>; oldestWaitingSeconds: number | null }[];
    }>();
    expect(items.map((q) => q.name)).toEqual(["outbound", "inbound", "maintenance"]);
    const inbound = items.find((q) => q.name === "inbound")!;
    expect(inbound.counts).toMatchObject({ failed: 3, waiting: 1, active: 0 });
    expect(inbound.oldestWaitingSeconds).toBeGreaterThanOrEqual(0);
    expect(items.find((q) => q.name === "outbound")!.oldestWaitingSeconds).toBeNull();
  });

  it("lists failed jobs with reason and attempts; a queue that does not exist is 404", async () => {
    const res = await call("GET", "/api/admin/queues/inbound/failed?limit=2");
    expect(res.statusCode).toBe(200);
    const page = res.json<{
      total: number;
      items: { id: string; name: string; failedReason: string; attemptsMade: number; maxAttempts: number }[];
    }>();
    expect(page.total).toBe(3);
    expect(page.items).toHaveLength(2);
    expect(page.items[0]).toMatchObject({ name: "media.download", attemptsMade: 1, maxAttempts: 1 });
    expect(page.items[0]!.failedReason).toMatch(/provider answered 404/);
    expect((await call("GET", "/api/admin/queues/nope/failed")).statusCode).toBe(404);
    expect((await call("GET", "/api/admin/queues/inbound/failed?limit=0")).statusCode).toBe(400);
  });

  it("retries one failed job, refuses one that is not failed, and audits the retry", async () => {
    const res = await call("POST", `/api/admin/queues/inbound/jobs/media-${ids[0]}/retry`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ retried: 1 });
    expect(await queues.queues.inbound.getJobState(`media-${ids[0]}`)).toBe("waiting");
    expect((await call("POST", `/api/admin/queues/inbound/jobs/media-${ids[0]}/retry`)).statusCode).toBe(409);
    expect((await call("POST", "/api/admin/queues/inbound/jobs/no-such-job/retry")).statusCode).toBe(404);
    const audit = await t.db.auditLog.findMany({ where: { action: "queue.job_retried" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: admin.id, entityId: "inbound", data: { jobId: `media-${ids[0]}` } });
  });

  it("removes a job and retries all failed ones, audited", async () => {
    expect((await call("DELETE", `/api/admin/queues/inbound/jobs/media-${ids[1]}`)).statusCode).toBe(204);
    expect(await queues.queues.inbound.getJob(`media-${ids[1]}`)).toBeUndefined();
    expect((await call("DELETE", `/api/admin/queues/inbound/jobs/media-${ids[1]}`)).statusCode).toBe(404);
    const res = await call("POST", "/api/admin/queues/inbound/failed/retry");
    expect(res.json()).toEqual({ retried: 1 });
    expect(await queues.queues.inbound.getFailedCount()).toBe(0);
    expect(await queues.queues.inbound.getJobState(`media-${ids[2]}`)).toBe("waiting");
    const actions = (await t.db.auditLog.findMany({ orderBy: { createdAt: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(["queue.job_retried", "queue.job_removed", "queue.failed_retried"]);
  });
});
