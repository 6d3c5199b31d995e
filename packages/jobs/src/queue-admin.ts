import type { Job } from "bullmq";
import { QUEUE_NAMES, type QueueName } from "./names";
import type { JobQueues } from "./queues";

/** The states an admin sees counted per queue. */
type QueueViewState = "waiting" | "active" | "delayed" | "failed" | "completed";

export interface QueueSummary {
  name: QueueName;
  counts: Record<QueueViewState, number>;
  /** Age of the oldest job waiting to run (seconds), null when none waits. */
  oldestWaitingSeconds: number | null;
}

export interface FailedJobSummary {
  id: string;
  queue: QueueName;
  name: string;
  /** Why its last attempt failed (the error message; never message content: payloads are ids). */
  failedReason: string;
  attemptsMade: number;
  maxAttempts: number;
  createdAt: Date;
  failedAt: Date | null;
  /** The payload: ids only by design of the job schemas (packages/jobs/src/names.ts). */
  data: Record<string, unknown>;
}

export function isQueueName(name: string): name is QueueName {
  return (QUEUE_NAMES as readonly string[]).includes(name);
}

/** Counts per state and the oldest waiting job's age, for every queue. */
export async function summarizeQueues(queues: JobQueues, now = Date.now()): Promise<QueueSummary[]> {
  return Promise.all(
    QUEUE_NAMES.map(async (name) => {
      const queue = queues.queues[name];
      const counts = await queue.getJobCounts("waiting", "active", "delayed", "failed", "completed", "prioritized");
      const [oldest] = await queue.getJobs(["wait", "prioritized"], 0, 0, true);
      return {
        name,
        counts: {
          waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
          active: counts.active ?? 0,
          delayed: counts.delayed ?? 0,
          failed: counts.failed ?? 0,
          completed: counts.completed ?? 0,
        },
        oldestWaitingSeconds: oldest ? Math.max(0, Math.round((now - oldest.timestamp) / 1000)) : null,
      };
    }),
  );
}

function toSummary(queue: QueueName, job: Job): FailedJobSummary {
  return {
    id: job.id ?? "",
    queue,
    name: job.name,
    failedReason: job.failedReason ?? "",
    attemptsMade: job.attemptsMade,
    maxAttempts: job.opts.attempts ?? 1,
    createdAt: new Date(job.timestamp),
    failedAt: job.finishedOn ? new Date(job.finishedOn) : null,
    data: (job.data ?? {}) as Record<string, unknown>,
  };
}

/** Failed jobs of a queue, most recently failed first, with the total. */
export async function listFailedJobs(
  queues: JobQueues,
  queue: QueueName,
  { offset = 0, limit = 50 }: { offset?: number; limit?: number } = {},
): Promise<{ items: FailedJobSummary[]; total: number }> {
  const q = queues.queues[queue];
  const [jobs, total] = await Promise.all([q.getFailed(offset, offset + limit - 1), q.getFailedCount()]);
  return { items: jobs.filter(Boolean).map((job) => toSummary(queue, job)), total };
}

/** Outcome of an action on one job: done, no such job, or the job is not in a state that allows it. */
export type JobActionResult = "done" | "not_found" | "not_failed" | "active";

/** Moves one failed job back to waiting, its attempts counted afresh. */
export async function retryFailedJob(queues: JobQueues, queue: QueueName, id: string): Promise<JobActionResult> {
  const job = await queues.queues[queue].getJob(id);
  if (!job) return "not_found";
  if (!(await job.isFailed())) return "not_failed";
  await job.retry("failed");
  return "done";
}

/** Moves every failed job of a queue back to waiting; the number moved. */
export async function retryAllFailedJobs(queues: JobQueues, queue: QueueName): Promise<number> {
  const q = queues.queues[queue];
  const count = await q.getFailedCount();
  if (count > 0) await q.retryJobs({ state: "failed", count: 1_000 });
  return count;
}

/** Removes a job that is not running (a running job's lock belongs to its worker). */
export async function removeQueuedJob(queues: JobQueues, queue: QueueName, id: string): Promise<JobActionResult> {
  const job = await queues.queues[queue].getJob(id);
  if (!job) return "not_found";
  if (await job.isActive()) return "active";
  await job.remove();
  return "done";
}
