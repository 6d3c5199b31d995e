import type { Db } from "@inbox/db";
import {
  isQueueName,
  listFailedJobs,
  removeQueuedJob,
  retryAllFailedJobs,
  retryFailedJob,
  summarizeQueues,
  type JobQueues,
  type QueueName,
} from "@inbox/jobs";
import { recordAudit, type Actor } from "../audit/record-audit";
import { AppError } from "../errors/app-error";

/** What the queue view's use cases need: the database (audit log) and the app's queues. */
export interface QueueAdminDeps {
  db: Db;
  queues: JobQueues;
}

function queueNamed(name: string): QueueName {
  if (!isQueueName(name)) throw new AppError("not_found", `There is no queue "${name}".`);
  return name;
}

/** The queues with their counts per state and the age of the oldest waiting job (admins' queue view). */
export function describeQueues(deps: Pick<QueueAdminDeps, "queues">) {
  return summarizeQueues(deps.queues);
}

/** Failed jobs of one queue, most recently failed first, with their reason and attempts. */
export function listFailedQueueJobs(
  deps: Pick<QueueAdminDeps, "queues">,
  queue: string,
  page: { offset?: number; limit?: number } = {},
) {
  return listFailedJobs(deps.queues, queueNamed(queue), page);
}

/**
 * Retries failed jobs of a queue — one (`jobId`) or all of them — and records who did it in the audit log. A job
 * handler decides afresh from the stored state (a message already sent is never sent again), so a retry is safe.
 */
export async function retryFailedQueueJobs(
  deps: QueueAdminDeps,
  actor: Actor,
  input: { queue: string; jobId?: string },
): Promise<{ retried: number }> {
  const queue = queueNamed(input.queue);
  let retried: number;
  if (input.jobId) {
    const result = await retryFailedJob(deps.queues, queue, input.jobId);
    if (result === "not_found") throw new AppError("not_found", "No such job.");
    if (result !== "done") throw new AppError("conflict", "Only a failed job can be retried.");
    retried = 1;
  } else {
    retried = await retryAllFailedJobs(deps.queues, queue);
  }
  await recordAudit(deps.db, actor, input.jobId ? "queue.job_retried" : "queue.failed_retried", "queue", queue, {
    ...(input.jobId ? { jobId: input.jobId } : {}),
    retried,
  });
  return { retried };
}

/** Removes a job that is not running (a failed one the admin gives up on, or a waiting one), audited. */
export async function removeQueueJob(deps: QueueAdminDeps, actor: Actor, input: { queue: string; jobId: string }) {
  const queue = queueNamed(input.queue);
  const result = await removeQueuedJob(deps.queues, queue, input.jobId);
  if (result === "not_found") throw new AppError("not_found", "No such job.");
  if (result === "active") throw new AppError("conflict", "A running job cannot be removed; wait until it ends.");
  await recordAudit(deps.db, actor, "queue.job_removed", "queue", queue, { jobId: input.jobId });
}
