import { randomUUID } from "node:crypto";
import { sweepStuckMessages, type SweepStuckMessagesOptions } from "@inbox/core";
import type { WorkerDeps } from "../registry";

export const SWEEP_EVERY_MS = 60_000;
const LIVE_STATES = ["waiting", "delayed", "active", "prioritized", "waiting-children"] as const;
const PAGE = 1_000;

/** Message ids (of `ids`) that have a live `message.send` job in the outbound queue, whatever its job id. */
export async function messagesWithLiveJob(deps: WorkerDeps, ids: string[]): Promise<Set<string>> {
  const wanted = new Set(ids);
  const live = new Set<string>();
  const queue = deps.queues.queues.outbound;
  for (let start = 0; ; start += PAGE) {
    const jobs = await queue.getJobs([...LIVE_STATES], start, start + PAGE - 1, true);
    for (const job of jobs) {
      const messageId = (job?.data as { messageId?: unknown } | undefined)?.messageId;
      if (typeof messageId === "string" && wanted.has(messageId)) live.add(messageId);
    }
    if (jobs.length < PAGE || live.size === wanted.size) return live;
  }
}

/**
 * One sweep (see sweepStuckMessages), run by at most one worker process at a time: a Redis lock held for the
 * sweep's interval. Answers null when another process holds it.
 */
export async function sweepOutboundOnce(
  deps: WorkerDeps,
  options: SweepStuckMessagesOptions & { lockMs?: number; onOutboxWritten?: () => void } = {},
): Promise<{ requeued: string[] } | null> {
  const lockKey = `${deps.queues.prefix}:outbound-sweep-lock`;
  const token = randomUUID();
  const locked = await deps.redis.set(lockKey, token, "PX", options.lockMs ?? SWEEP_EVERY_MS / 2, "NX");
  if (locked !== "OK") return null;
  const result = await sweepStuckMessages(
    {
      db: deps.db,
      withLiveJob: (ids) => messagesWithLiveJob(deps, ids),
      ...(options.onOutboxWritten ? { onOutboxWritten: options.onOutboxWritten } : {}),
      ...(deps.clock ? { clock: deps.clock } : {}),
    },
    options,
  );
  if (result.requeued.length > 0) {
    deps.log.warn({ count: result.requeued.length }, "outbound sweeper re-enqueued messages no job would pick up");
  }
  return result;
}

/** Runs the sweep every `everyMs` in this worker process until closed; errors (Postgres down, …) wait for the next round. */
export function startOutboundSweeper(
  deps: WorkerDeps,
  options: SweepStuckMessagesOptions & { everyMs?: number; onOutboxWritten?: () => void } = {},
): { close(): Promise<void> } {
  const everyMs = options.everyMs ?? SWEEP_EVERY_MS;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let isClosed = false;
  const tick = () => {
    running = sweepOutboundOnce(deps, { ...options, lockMs: Math.max(1_000, everyMs / 2) })
      .catch((err: unknown) => deps.log.warn({ err }, "outbound sweep failed; next round will retry"))
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
