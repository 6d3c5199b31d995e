import { z } from "zod";

/** The admins' queue view: BullMQ's queues with counts, failed jobs, retry and remove. */
export const QueueSummaryDtoSchema = z.object({
  name: z.string(),
  counts: z.object({
    waiting: z.number().int(),
    active: z.number().int(),
    delayed: z.number().int(),
    failed: z.number().int(),
    completed: z.number().int(),
  }),
  /** Age of the oldest job waiting to run, in seconds; null when none waits. */
  oldestWaitingSeconds: z.number().int().nullable(),
});
export type QueueSummaryDto = z.infer<typeof QueueSummaryDtoSchema>;
export const QueueListSchema = z.object({ items: z.array(QueueSummaryDtoSchema) });
export type QueueList = z.infer<typeof QueueListSchema>;

export const QueueParamsSchema = z.object({ queue: z.string().min(1).max(64) });
export const QueueJobParamsSchema = QueueParamsSchema.extend({ jobId: z.string().min(1).max(200) });
export const FailedJobsQuerySchema = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const FailedJobDtoSchema = z.object({
  id: z.string(),
  queue: z.string(),
  /** The job's name (`message.send`, `media.download`, …). */
  name: z.string(),
  /** Why its last attempt failed. */
  failedReason: z.string(),
  attemptsMade: z.number().int(),
  maxAttempts: z.number().int(),
  createdAt: z.iso.datetime(),
  failedAt: z.iso.datetime().nullable(),
  /** The payload: ids only (job payloads never carry message content). */
  data: z.record(z.string(), z.unknown()),
});
export type FailedJobDto = z.infer<typeof FailedJobDtoSchema>;
export const FailedJobPageSchema = z.object({ items: z.array(FailedJobDtoSchema), total: z.number().int() });
export type FailedJobPage = z.infer<typeof FailedJobPageSchema>;

export const RetryJobsResultSchema = z.object({ retried: z.number().int() });
export type RetryJobsResult = z.infer<typeof RetryJobsResultSchema>;
