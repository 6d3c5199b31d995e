import { randomUUID } from "node:crypto";
import {
  sessionPolicyOf,
  sweepExpiredSessions,
  sweepLoginThrottles,
  sweepPendingMedia,
  sweepStuckMessages,
  sweepUnappliedStatuses,
  sweepUnroutedConversations,
  type SweepPendingMediaOptions,
  type SweepStuckMessagesOptions,
  type SweepUnroutedOptions,
} from "@inbox/core";
import { conversationIdsOfRouteJob, JOB_SCHEMAS, pruneOutbox, type QueueName } from "@inbox/jobs";
import type { WorkerDeps } from "../context";

export const SWEEP_EVERY_MS = 60_000;
const LIVE_STATES = ["waiting", "delayed", "active", "prioritized", "waiting-children"] as const;
const PAGE = 1_000;

/** The ids a job's payload names (`idsOf`), or none. */
type IdsOf = (data: unknown) => string[];

/** The id in the payload field `field`. */
const idIn =
  (field: string): IdsOf =>
  (data) => {
    const id = (data as Record<string, unknown> | undefined)?.[field];
    return typeof id === "string" ? [id] : [];
  };

/** Every conversation a `conversation.route` job routes (either shape); none for another job's payload. */
const routedConversationsOf: IdsOf = (data) => {
  const parsed = JOB_SCHEMAS["conversation.route"].safeParse(data);
  return parsed.success ? conversationIdsOfRouteJob(parsed.data) : [];
};

/** Which of `ids` have a live job in `queue` whose payload names the id (`idsOf`), whatever the job id. */
async function idsWithLiveJob(deps: WorkerDeps, queue: QueueName, idsOf: IdsOf, ids: string[]): Promise<Set<string>> {
  const wanted = new Set(ids);
  const live = new Set<string>();
  for (let start = 0; ; start += PAGE) {
    const jobs = await deps.queues.queues[queue].getJobs([...LIVE_STATES], start, start + PAGE - 1, true);
    for (const job of jobs) for (const id of idsOf(job?.data)) if (wanted.has(id)) live.add(id);
    if (jobs.length < PAGE || live.size === wanted.size) return live;
  }
}

/** Runs `sweep` only if this process gets the Redis lock `name` (held for `lockMs`); null when another one has it. */
async function withSweepLock<T>(
  deps: WorkerDeps,
  name: string,
  lockMs: number,
  sweep: () => Promise<T>,
): Promise<T | null> {
  const locked = await deps.redis.set(`${deps.queues.prefix}:${name}-lock`, randomUUID(), "PX", lockMs, "NX");
  return locked === "OK" ? sweep() : null;
}

type SweepRunOptions = { lockMs?: number };

/**
 * One sweep that gives things whose job is gone a new job (see requeueOrphans), by at most one worker process at a
 * time (lock `name`); `withLiveJob` answers from BullMQ's live jobs. Logs a warning when it re-enqueued anything.
 */
async function requeueSweepOnce<O>(
  deps: WorkerDeps,
  name: string,
  options: O & SweepRunOptions,
  withLiveJob: (ids: string[]) => Promise<Set<string>>,
  sweep: (deps: WorkerDeps & { withLiveJob: typeof withLiveJob }, options: O) => Promise<{ requeued: string[] }>,
  warning: string,
): Promise<{ requeued: string[] } | null> {
  return withSweepLock(deps, name, options.lockMs ?? SWEEP_EVERY_MS / 2, async () => {
    const result = await sweep({ ...deps, withLiveJob }, options);
    if (result.requeued.length > 0) deps.log.warn({ count: result.requeued.length }, warning);
    return result;
  });
}

/** One sweep of stuck outbound messages (see sweepStuckMessages). */
export const sweepOutboundOnce = (deps: WorkerDeps, options: SweepStuckMessagesOptions & SweepRunOptions = {}) =>
  requeueSweepOnce(
    deps,
    "outbound-sweep",
    options,
    (ids) => idsWithLiveJob(deps, "outbound", idIn("messageId"), ids),
    sweepStuckMessages,
    "outbound sweeper re-enqueued messages no job would pick up",
  );

/** One sweep of customer media whose download job is gone (see sweepPendingMedia). */
export const sweepPendingMediaOnce = (deps: WorkerDeps, options: SweepPendingMediaOptions & SweepRunOptions = {}) =>
  requeueSweepOnce(
    deps,
    "media-sweep",
    options,
    (ids) => idsWithLiveJob(deps, "inbound", idIn("mediaAssetId"), ids),
    sweepPendingMedia,
    "media sweeper re-enqueued downloads no job would pick up",
  );

/** One sweep of new conversations whose route job is gone (see sweepUnroutedConversations). */
export const sweepUnroutedOnce = (deps: WorkerDeps, options: SweepUnroutedOptions & SweepRunOptions = {}) =>
  requeueSweepOnce(
    deps,
    "route-sweep",
    options,
    (ids) => idsWithLiveJob(deps, "inbound", routedConversationsOf, ids),
    sweepUnroutedConversations,
    "route sweeper re-enqueued conversations no job would route",
  );

/** One sweep of status reports left unapplied although their message is known (see sweepUnappliedStatuses). */
export async function sweepStatusesOnce(
  deps: WorkerDeps,
  options: { lockMs?: number } = {},
): Promise<{ applied: number } | null> {
  return withSweepLock(deps, "status-sweep", options.lockMs ?? SWEEP_EVERY_MS / 2, async () => {
    const result = await sweepUnappliedStatuses(deps);
    if (result.applied > 0) {
      deps.log.info(
        { count: result.applied },
        "status sweeper applied reports that had overtaken their message's wamid",
      );
      deps.live.add({ updatedMessageIds: result.updatedMessageIds });
    }
    return result;
  });
}

/** Outbox rows dispatched more than a day ago are BullMQ's business: deleted, by one process at a time. */
export async function pruneOutboxOnce(deps: WorkerDeps, options: { lockMs?: number } = {}): Promise<number | null> {
  return withSweepLock(deps, "outbox-prune", options.lockMs ?? SWEEP_EVERY_MS / 2, () =>
    pruneOutbox(deps.db, deps.clock()),
  );
}

/** Deletes sessions past their idle or absolute end and sign-in counters that went quiet (no lock needed: idempotent). */
async function sweepAuthRecordsOnce(deps: WorkerDeps): Promise<{ sessions: number; loginThrottles: number }> {
  const now = deps.clock();
  const sessions = await sweepExpiredSessions(deps.db, { now, policy: sessionPolicyOf(deps.env) });
  const loginThrottles = await sweepLoginThrottles(deps.db, now);
  if (sessions || loginThrottles) deps.log.debug({ sessions, loginThrottles }, "expired auth records deleted");
  return { sessions, loginThrottles };
}

export interface SweeperOptions extends SweepStuckMessagesOptions {
  media?: SweepPendingMediaOptions;
  routing?: SweepUnroutedOptions;
}

/**
 * Every `everyMs` in this worker process until closed: the stuck-message sweep, the pending-media sweep, the
 * unrouted-conversation sweep, the unapplied-status sweep, the outbox's dispatched rows are pruned, then expired sessions and sign-in counters.
 * Errors (Postgres or Redis down, …) wait for the next round.
 */
export function startSweeper(
  deps: WorkerDeps,
  options: SweeperOptions & { everyMs?: number } = {},
): { close(): Promise<void> } {
  const everyMs = options.everyMs ?? SWEEP_EVERY_MS;
  const run = { lockMs: Math.max(1_000, everyMs / 2) };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let isClosed = false;
  const tick = () => {
    running = sweepOutboundOnce(deps, { ...options, ...run })
      .catch((err: unknown) => deps.log.warn({ err }, "outbound sweep failed; next round will retry"))
      .then(() => sweepPendingMediaOnce(deps, { ...options.media, ...run }))
      .catch((err: unknown) => deps.log.warn({ err }, "media sweep failed; next round will retry"))
      .then(() => sweepUnroutedOnce(deps, { ...options.routing, ...run }))
      .catch((err: unknown) => deps.log.warn({ err }, "route sweep failed; next round will retry"))
      .then(() => sweepStatusesOnce(deps, run))
      .catch((err: unknown) => deps.log.warn({ err }, "status sweep failed; next round will retry"))
      .then(() => pruneOutboxOnce(deps, run))
      .catch((err: unknown) => deps.log.warn({ err }, "outbox prune failed; next round will retry"))
      .then(() => sweepAuthRecordsOnce(deps))
      .catch((err: unknown) => deps.log.warn({ err }, "auth records sweep failed; next round will retry"))
      .finally(() => {
        if (!isClosed) timer = setTimeout(tick, everyMs);
      });
  };
  timer = setTimeout(tick, everyMs);
  return {
    async close() {
      isClosed = true;
      clearTimeout(timer);
      await running;
    },
  };
}
