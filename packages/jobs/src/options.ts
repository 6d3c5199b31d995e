import type { JobsOptions } from "bullmq";
import type { JobName } from "./names";

/** Frozen defaults: retried with exponential backoff, bounded history so Redis does not grow without end. */
export const DEFAULT_JOB_OPTIONS: Readonly<JobsOptions> = Object.freeze({
  attempts: 8,
  backoff: { type: "exponential", delay: 1_000 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 50_000 },
});

/** Name of the worker's custom backoff strategy for sends (exponential with jitter, honouring Meta's waits). */
export const OUTBOUND_BACKOFF = "outbound";

/** Per-job overrides of the defaults. Sends use the worker's custom backoff (see apps/worker). */
export const JOB_OPTIONS: Readonly<Partial<Record<JobName, JobsOptions>>> = Object.freeze({
  "message.send": { attempts: 10, backoff: { type: OUTBOUND_BACKOFF, delay: 1_000 } },
});
