import type { JobQueues } from "@inbox/jobs";

/**
 * `retention.run` on one BullMQ job scheduler shared by all workers (upsert by id: every worker start may call it;
 * the scheduler produces one job per tick, which one worker takes). `runRetention` also refuses a second run while
 * one is in progress (e.g. `pnpm inbox retention run` during the scheduled one).
 */
export async function scheduleRetention(queues: JobQueues, cron: string): Promise<void> {
  await queues.queues.maintenance.upsertJobScheduler(
    "retention.run",
    { pattern: cron, tz: "UTC" },
    { name: "retention.run", data: { dryRun: false } },
  );
}
