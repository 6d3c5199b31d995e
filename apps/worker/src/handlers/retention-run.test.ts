import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseEnv } from "@inbox/config";
import { createTestDatabase, createTestRedisPrefix, TEST_REDIS_URL, type TestDatabase } from "@inbox/db/testing";
import { createRedis, JobQueues } from "@inbox/jobs";
import { createLogger } from "@inbox/logger";
import type { WorkerInfra } from "../context";
import { createWorkerServices } from "../services";
import { startWorker, type RunningWorker } from "../worker";
import { handleRetentionRun } from "./retention-run";

/** These handlers never defer their job. */
const noDefer = (): Promise<never> => Promise.reject(new Error("not deferred"));

const log = createLogger({ name: "test", level: "silent", pretty: false });

describe("retention.run job", () => {
  let t: TestDatabase;
  let deps: WorkerInfra;
  let worker: RunningWorker;
  let mediaDir: string;
  const redis = createRedis(TEST_REDIS_URL);

  beforeAll(async () => {
    t = await createTestDatabase();
    mediaDir = await mkdtemp(path.join(tmpdir(), "retention-job-"));
    deps = {
      env: parseEnv({ LOG_LEVEL: "silent", MEDIA_DIR: mediaDir, RETENTION_CRON: "15 3 * * *" }),
      db: t.db,
      pgPool: t.pgPool,
      redis,
      queues: new JobQueues(redis, createTestRedisPrefix()),
      log,
      clock: () => new Date(),
    };
    worker = await startWorker(deps, { scheduleTemplateSync: false, sweepEveryMs: 0, wakeSnoozedEveryMs: 0 });
  });
  afterAll(async () => {
    await worker.close();
    await deps.queues.close();
    redis.disconnect();
    await t.drop();
    await rm(mediaDir, { recursive: true, force: true });
  });

  it("is scheduled once for all workers by RETENTION_CRON, and a queued run deletes what is due", async () => {
    const scheduler = await deps.queues.queues.maintenance.getJobScheduler("retention.run");
    expect(scheduler).toMatchObject({ name: "retention.run", pattern: "15 3 * * *" });
    // A second worker start keeps one scheduler, not two.
    const second = await startWorker(deps, { scheduleTemplateSync: false, sweepEveryMs: 0, wakeSnoozedEveryMs: 0 });
    await second.close();
    expect(
      (await deps.queues.queues.maintenance.getJobSchedulers()).filter(
        (s: { name: string }) => s.name === "retention.run",
      ),
    ).toHaveLength(1);

    const user = await t.db.user.create({ data: { email: "w@example.de", name: "W", passwordHash: "x" } });
    await t.db.session.create({
      data: { userId: user.id, tokenHash: "old", csrfToken: "c", expiresAt: new Date(Date.now() - 40 * 24 * 3600_000) },
    });
    await deps.queues.add("retention.run", { dryRun: false });
    await expect.poll(() => t.db.session.count(), { timeout: 20_000 }).toBe(0);
    await expect
      .poll(() => t.db.retentionRun.count({ where: { finishedAt: { not: null }, isDryRun: false } }), {
        timeout: 20_000,
      })
      .toBe(1);
  });

  it("counts what it deleted per category and when it finished in the worker's metrics; a dry run counts nothing", async () => {
    const services = createWorkerServices(deps);
    const ctx = {
      deps: { ...deps, ...services },
      log,
      attemptsMade: 0,
      maxAttempts: 1,
      startedCount: 1,
      defer: noDefer,
    };
    try {
      const user = await t.db.user.create({ data: { email: "m@example.de", name: "M", passwordHash: "x" } });
      for (const tokenHash of ["m1", "m2"]) {
        await t.db.session.create({
          data: { userId: user.id, tokenHash, csrfToken: "c", expiresAt: new Date(Date.now() - 40 * 24 * 3600_000) },
        });
      }
      await handleRetentionRun({ dryRun: true }, ctx);
      expect((await services.metrics.render()).body).not.toMatch(/inbox_retention_deleted_total\{category="sessions"/);
      expect(await t.db.session.count()).toBe(2);

      await handleRetentionRun({ dryRun: false }, ctx);
      const { body } = await services.metrics.render();
      expect(body).toContain('inbox_retention_deleted_total{category="sessions",role="worker"} 2');
      const last = /inbox_retention_last_run_timestamp_seconds\{role="worker"\} (\S+)/.exec(body);
      expect(Number(last?.[1])).toBeGreaterThan(Date.now() / 1000 - 60);
    } finally {
      await services.close();
    }
  });
});
