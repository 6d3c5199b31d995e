import type { DbTx, RunSql } from "@inbox/db";
import type { Logger } from "@inbox/logger";
import type { LiveChange, LiveChanges, LiveMessageRow } from "../shared/live-changes";
import { buildLiveEvents } from "./build-live-events";
import type { LivePublisher } from "./live-publisher";

export interface LiveChangeBatcher extends LiveChanges {
  /** Publishes what is pending now (shutdown, tests). */
  flush(): Promise<void>;
}

/**
 * Collects committed changes for a few milliseconds and turns them into live events with one set of queries, so a
 * burst of webhooks costs a handful of reads per interval instead of several per webhook. The reads run on `db`
 * (the api and the worker hand it their plain pg pool as `pgSql(pool)`).
 */
export function createLiveChangeBatcher(
  db: DbTx | RunSql,
  publisher: LivePublisher,
  options: { log: Logger; delayMs?: number },
): LiveChangeBatcher {
  const delayMs = options.delayMs ?? 25;
  let created = new Set<string>();
  let updated = new Set<string>();
  let conversations = new Set<string>();
  let stored = new Map<string, LiveMessageRow>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const flush = async (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    if (created.size + updated.size + conversations.size === 0) return running;
    const change: LiveChange = {
      createdMessageIds: [...created],
      updatedMessageIds: [...updated].filter((id) => !created.has(id)),
      conversationIds: [...conversations],
      storedMessages: [...stored.values()],
    };
    created = new Set();
    updated = new Set();
    conversations = new Set();
    stored = new Map();
    running = running
      .then(async () => publisher.publish(await buildLiveEvents(db, change)))
      .catch((err: unknown) => options.log.warn({ err }, "live events not published"));
    return running;
  };

  return {
    add(change) {
      for (const id of change.createdMessageIds ?? []) created.add(id);
      for (const id of change.updatedMessageIds ?? []) updated.add(id);
      for (const id of change.conversationIds ?? []) conversations.add(id);
      for (const m of change.storedMessages ?? []) stored.set(m.row.id, m);
      timer ??= setTimeout(() => void flush(), delayMs);
    },
    flush,
  };
}
