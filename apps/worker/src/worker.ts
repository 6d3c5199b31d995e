import { Worker, type Job } from "bullmq";
import { JOB_SCHEMAS, isJobName, QUEUE_NAMES, OutboxRelay, OUTBOUND_BACKOFF, type JobName } from "@inbox/jobs";
import { computeOutboundBackoff } from "./outbound/backoff";
import { scheduleConversationWake, scheduleTemplateSync, CONVERSATION_WAKE_EVERY_MS } from "./maintenance/schedules";
import { scheduleRetention } from "./maintenance/retention-schedule";
import { startSweeper, SWEEP_EVERY_MS, type SweeperOptions } from "./maintenance/sweeper";
import { JOB_HANDLERS, type JobHandler, type JobHandlers, type WorkerDeps } from "./registry";
import { flushLiveChanges } from "./handlers/inbound-deps";

export interface RunningWorker {
  close(): Promise<void>;
}

export interface StartWorkerOptions {
  handlers?: JobHandlers;
  concurrency?: Partial<Record<(typeof QUEUE_NAMES)[number], number>>;
  /** Register the repeatable template sync per channel (default true). */
  scheduleTemplateSync?: boolean;
  /** How often the sweeper looks for messages and media no job will pick up (default 60 s; 0 = off). */
  sweepEveryMs?: number;
  /** Thresholds of the sweeper (defaults: queued 10 min, sending grace + 1 min, media pending 10 min). */
  sweep?: SweeperOptions;
  /** How often snoozed conversations are checked for their wake-up time (default 60 s; 0 = not scheduled). */
  wakeSnoozedEveryMs?: number;
}

/** Parses each job's payload with its schema before the handler sees it; unknown names are dropped with a warning. */
export async function processJob(job: Job, deps: WorkerDeps, handlers: JobHandlers): Promise<void> {
  const log = deps.log.child({ jobId: job.id, job: job.name });
  if (!isJobName(job.name) || !handlers[job.name]) {
    log.warn("no handler for job; dropped");
    return;
  }
  const name: JobName = job.name;
  const parsed = JOB_SCHEMAS[name].safeParse(job.data);
  if (!parsed.success) {
    log.error({ issues: parsed.error.issues }, "invalid job payload; dropped");
    return;
  }
  const handler = handlers[name] as JobHandler<typeof name>;
  await handler(parsed.data, {
    deps,
    log,
    attemptsMade: job.attemptsMade,
    maxAttempts: job.opts.attempts ?? 1,
  });
}

export async function startWorker(deps: WorkerDeps, options: StartWorkerOptions = {}): Promise<RunningWorker> {
  const handlers = options.handlers ?? JOB_HANDLERS;
  const workers = QUEUE_NAMES.map(
    (queue) =>
      new Worker(queue, (job) => processJob(job, deps, handlers), {
        connection: deps.queues.connection.duplicate(),
        prefix: deps.queues.prefix,
        concurrency: options.concurrency?.[queue] ?? (queue === "outbound" ? deps.env.WORKER_OUTBOUND_CONCURRENCY : 10),
        settings: {
          backoffStrategy: (attemptsMade, type, err) =>
            type === OUTBOUND_BACKOFF
              ? computeOutboundBackoff(attemptsMade, type, err)
              : 1_000 * 2 ** Math.max(0, attemptsMade - 1),
        },
      }),
  );
  for (const w of workers) {
    w.on("failed", (job, err) => deps.log.warn({ jobId: job?.id, job: job?.name, err }, "job attempt failed"));
    w.on("error", (err) => deps.log.error({ err }, "worker error"));
  }
  const relay = new OutboxRelay({ db: deps.db, pool: deps.pgPool }, deps.queues, deps.log);
  relay.start();
  const sweepEveryMs = options.sweepEveryMs ?? SWEEP_EVERY_MS;
  const sweeper =
    sweepEveryMs > 0
      ? startSweeper(deps, { ...options.sweep, everyMs: sweepEveryMs, onOutboxWritten: relay.poke })
      : undefined;
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  if (options.scheduleTemplateSync ?? true) {
    await scheduleTemplateSync(deps.db, deps.queues).catch((err: unknown) =>
      deps.log.warn({ err }, "could not schedule template sync"),
    );
  }
  const wakeEveryMs = options.wakeSnoozedEveryMs ?? CONVERSATION_WAKE_EVERY_MS;
  if (wakeEveryMs > 0) {
    await scheduleConversationWake(deps.queues, wakeEveryMs).catch((err: unknown) =>
      deps.log.warn({ err }, "could not schedule the snooze wake-up"),
    );
  }
  await scheduleRetention(deps.queues, deps.env.RETENTION_CRON).catch((err: unknown) =>
    deps.log.warn({ err }, "could not schedule the retention run"),
  );
  return {
    async close() {
      await sweeper?.close();
      await relay.stop();
      await Promise.all(workers.map((w) => w.close()));
      await flushLiveChanges(deps);
    },
  };
}
