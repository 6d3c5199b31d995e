import { DelayedError, UnrecoverableError, Worker, type Job } from "bullmq";
import { JOB_SCHEMAS, isJobName, QUEUE_NAMES, OUTBOUND_BACKOFF, type JobName } from "@inbox/jobs";
import type { JobHandler, JobHandlers, WorkerDeps, WorkerInfra } from "./context";
import { computeOutboundBackoff } from "./outbound/backoff";
import { scheduleConversationWake, scheduleTemplateSync, CONVERSATION_WAKE_EVERY_MS } from "./maintenance/schedules";
import { scheduleRetention } from "./maintenance/retention-schedule";
import { startSweeper, SWEEP_EVERY_MS, type SweeperOptions } from "./maintenance/sweeper";
import { JOB_HANDLERS } from "./registry";
import { startMetricsServer } from "./metrics-server";
import { createWorkerServices, type WorkerServiceOverrides } from "./services";
import { startRoutingTicker, ROUTING_TICK_EVERY_MS } from "./maintenance/routing-ticker";

/**
 * Jobs at once per queue and process, unless options say otherwise. Inbound: route jobs spend most of their time
 * waiting for their batch and their team's shared assignment run, and a bigger batch costs the same few statements
 * (bench/routing.ts: with 10 at once they queued in BullMQ while the worker used a tenth of a core; 50 and 200 see
 * docs/routing.md); the media downloads among them are held to 10 at once by `mediaDownloads`.
 */
const defaultConcurrency = (env: WorkerDeps["env"]): Record<(typeof QUEUE_NAMES)[number], number> => ({
  outbound: env.WORKER_OUTBOUND_CONCURRENCY,
  inbound: 200,
  maintenance: 10,
});

export interface RunningWorker {
  close(): Promise<void>;
}

export interface StartWorkerOptions {
  /** Services to use instead of the ones the environment configures (tests, benchmarks). */
  services?: WorkerServiceOverrides;
  concurrency?: Partial<Record<(typeof QUEUE_NAMES)[number], number>>;
  /** Register the repeatable template sync per channel (default true). */
  scheduleTemplateSync?: boolean;
  /** How often the sweeper looks for messages and media no job will pick up (default 60 s; 0 = off). */
  sweepEveryMs?: number;
  /** Thresholds of the sweeper (defaults: queued 10 min, sending grace + 1 min, media pending 10 min). */
  sweep?: SweeperOptions;
  /** How often snoozed conversations are checked for their wake-up time (default 60 s; 0 = not scheduled). */
  wakeSnoozedEveryMs?: number;
  /** How often queues are assigned to agents who became able (default 2 s; 0 = off). */
  routingTickEveryMs?: number;
}

/**
 * Parses the job's payload with its schema, then runs its handler. A job this worker cannot run — a name without a
 * handler, a payload its schema refuses — fails at once and for good (BullMQ's failed set, with the reason, and an
 * error in the log): retrying cannot help, and completing it would hide the loss.
 */
async function processJob(job: Job, token: string | undefined, deps: WorkerDeps, handlers: JobHandlers): Promise<void> {
  const log = deps.log.child({ jobId: job.id, job: job.name });
  if (!isJobName(job.name)) {
    log.error("job has no handler; failed");
    throw new UnrecoverableError(`No handler for job "${job.name}".`);
  }
  const name: JobName = job.name;
  const parsed = JOB_SCHEMAS[name].safeParse(job.data);
  if (!parsed.success) {
    log.error({ issues: parsed.error.issues }, "invalid job payload; failed");
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "payload"}: ${i.message}`).join("; ");
    throw new UnrecoverableError(`Invalid payload for "${name}": ${issues}`);
  }
  const handler = handlers[name] as JobHandler<typeof name>;
  await handler(parsed.data, {
    deps,
    log,
    attemptsMade: job.attemptsMade,
    maxAttempts: job.opts.attempts ?? 1,
    startedCount: job.attemptsStarted,
    async defer(at) {
      await job.moveToDelayed(at, token);
      throw new DelayedError();
    },
  });
}

/**
 * A worker process's jobs: builds its services (the composition root, closed with the worker), one BullMQ worker
 * per queue, the sweeper and the repeatable schedules.
 */
export async function startWorker(infra: WorkerInfra, options: StartWorkerOptions = {}): Promise<RunningWorker> {
  const deps: WorkerDeps = { ...infra, ...createWorkerServices(infra, options.services) };
  deps.outbox.start();
  const workers = QUEUE_NAMES.map(
    (queue) =>
      new Worker(queue, (job, token) => processJob(job, token, deps, JOB_HANDLERS), {
        connection: deps.queues.connection.duplicate(),
        prefix: deps.queues.prefix,
        concurrency: options.concurrency?.[queue] ?? defaultConcurrency(deps.env)[queue],
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
  const metricsServer = deps.env.METRICS_TOKEN
    ? await startMetricsServer(deps.metrics, { port: deps.env.WORKER_METRICS_PORT, token: deps.env.METRICS_TOKEN })
    : undefined;
  const sweepEveryMs = options.sweepEveryMs ?? SWEEP_EVERY_MS;
  const sweeper = sweepEveryMs > 0 ? startSweeper(deps, { ...options.sweep, everyMs: sweepEveryMs }) : undefined;
  const routingEveryMs = options.routingTickEveryMs ?? ROUTING_TICK_EVERY_MS;
  const routing = routingEveryMs > 0 ? startRoutingTicker(deps, routingEveryMs) : undefined;
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
      await metricsServer?.close();
      await sweeper?.close();
      await routing?.close();
      await Promise.all(workers.map((w) => w.close()));
      await deps.close();
    },
  };
}
