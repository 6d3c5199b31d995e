import type { LiveEvent } from "@inbox/contracts";
import type { DbTx, RunSql } from "@inbox/db";
import type { Logger } from "@inbox/logger";
import type { LiveChange, LiveChanges, LiveMessageRow } from "../shared/live-changes";
import { buildLiveEvents, messageCreatedEvent } from "./build-live-events";
import type { LivePublisher } from "./live-publisher";

export interface LiveChangeBatcher extends LiveChanges {
  /** Publishes everything added so far (shutdown, tests). */
  flush(): Promise<void>;
}

/** A created message of the first lane: its stored row, or its id to read. */
type CreatedItem = { row: LiveMessageRow } | { id: string };

/**
 * Turns committed changes into live events, in two lanes:
 *
 * 1. **Created messages** (what an agent waits for: a customer's message, a colleague's reply) are published at once,
 *    in the order they were added — from the rows the caller holds (no read), or read by id when only the id is
 *    given. No timer: a batch starts as soon as the previous one is out, so under load the batches grow by themselves
 *    (whatever was added meanwhile goes together) and at low load nothing waits.
 * 2. **Current state** of changed messages (ticks) and conversations (list rows), read after the commit: collected for
 *    `delayMs` (several webhooks of a burst cost one read), and published only after every created message added
 *    before them — a tick never arrives before its message.
 *
 * A batching window on the first lane added its length to every event's latency, and the read of the conversations
 * held back the messages of the same batch. The reads run on `db` (the api and the worker hand it their plain pg pool
 * as `pgSql(pool)`). Never throws: live updates are best effort, the database is the truth.
 */
export function createLiveChangeBatcher(
  db: DbTx | RunSql,
  publisher: LivePublisher,
  options: { log: Logger; delayMs?: number },
): LiveChangeBatcher {
  const delayMs = options.delayMs ?? 25;
  const { log } = options;

  // Lane 1: created messages, in the order added.
  let created: CreatedItem[] = [];
  let createdKeys = new Set<string>();
  /** Adds with lane-1 content so far, and how many of them are published (or given up). */
  let createdAdded = 0;
  let createdPublished = 0;
  const waiters: { upTo: number; resolve: () => void }[] = [];
  let createdRun: Promise<void> | null = null;
  let createdScheduled = false;

  // Lane 2: ids whose current state is read and published.
  let updated = new Set<string>();
  let conversations = new Set<string>();
  let refreshRun: Promise<void> | null = null;
  let refreshTimer: NodeJS.Timeout | undefined;

  const publishedUpTo = (upTo: number): Promise<void> =>
    createdPublished >= upTo ? Promise.resolve() : new Promise((resolve) => waiters.push({ upTo, resolve }));

  const runCreated = async (): Promise<void> => {
    const items = created;
    const upTo = createdAdded;
    created = [];
    createdKeys = new Set();
    try {
      const ids = items.flatMap((item) => ("id" in item ? [item.id] : []));
      const read = new Map<string, LiveEvent>();
      if (ids.length) {
        for (const event of await buildLiveEvents(db, { createdMessageIds: ids })) {
          if (event.type === "message.created") read.set(event.message.id, event);
        }
      }
      const events = items.flatMap((item) => {
        if ("row" in item) return [messageCreatedEvent(item.row)];
        const event = read.get(item.id);
        return event ? [event] : [];
      });
      await publisher.publish(events);
    } catch (err) {
      log.warn({ err }, "live events not published");
    }
    createdPublished = upTo;
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i]!.upTo <= upTo) waiters.splice(i, 1)[0]!.resolve();
    }
  };

  const startCreated = () => {
    if (createdRun || created.length === 0) return;
    createdRun = runCreated().finally(() => {
      createdRun = null;
      scheduleCreated();
    });
  };
  /** On the next turn of the event loop: the adds of one group commit (resolved together) go in one batch. */
  const scheduleCreated = () => {
    if (createdScheduled || createdRun || created.length === 0) return;
    createdScheduled = true;
    setImmediate(() => {
      createdScheduled = false;
      startCreated();
    });
  };

  const runRefresh = async (): Promise<void> => {
    const change: LiveChange = { updatedMessageIds: [...updated], conversationIds: [...conversations] };
    const after = createdAdded;
    updated = new Set();
    conversations = new Set();
    try {
      const events = await buildLiveEvents(db, change);
      await publishedUpTo(after);
      await publisher.publish(events);
    } catch (err) {
      log.warn({ err }, "live events not published");
    }
  };

  const hasRefresh = () => updated.size + conversations.size > 0;
  const startRefresh = () => {
    clearTimeout(refreshTimer);
    refreshTimer = undefined;
    if (refreshRun || !hasRefresh()) return;
    refreshRun = runRefresh().finally(() => {
      refreshRun = null;
      scheduleRefresh();
    });
  };
  const scheduleRefresh = () => {
    if (refreshTimer || refreshRun || !hasRefresh()) return;
    refreshTimer = setTimeout(startRefresh, delayMs);
  };

  const addCreated = (item: CreatedItem, key: string) => {
    if (createdKeys.has(key)) return false;
    createdKeys.add(key);
    created.push(item);
    return true;
  };

  /** Changes added before: a group-committed batch hands the same result to each of its deliveries. */
  const seen = new WeakSet<LiveChange>();

  return {
    add(change) {
      if (seen.has(change)) return;
      seen.add(change);
      let isCreated = false;
      // Rows first: an id the caller also gave as a row needs no read.
      for (const row of change.storedMessages ?? []) isCreated = addCreated({ row }, row.row.id) || isCreated;
      for (const id of change.createdMessageIds ?? []) isCreated = addCreated({ id }, id) || isCreated;
      for (const id of change.updatedMessageIds ?? []) updated.add(id);
      for (const id of change.conversationIds ?? []) conversations.add(id);
      if (isCreated) {
        createdAdded++;
        scheduleCreated();
      }
      scheduleRefresh();
    },
    async flush() {
      for (;;) {
        if (createdRun) await createdRun;
        else if (refreshRun) await refreshRun;
        else if (created.length > 0) startCreated();
        else if (hasRefresh()) startRefresh();
        else return;
      }
    },
  };
}
