import type { Db } from "@inbox/db";
import type { Logger } from "@inbox/logger";
import { buildLiveEvents } from "./live-dtos";
import type { LivePublisher } from "./live-publisher";

export interface LiveChange {
  createdMessageIds?: string[];
  updatedMessageIds?: string[];
  conversationIds?: string[];
}

export interface LiveChangeBatcher {
  /** Records committed changes; their events are built and published within `delayMs`. Never throws. */
  add(change: LiveChange): void;
  /** Publishes what is pending now (shutdown, tests). */
  flush(): Promise<void>;
}

/**
 * Collects the ids of committed changes for a few milliseconds and turns them into live events with one set of
 * queries, so a burst of webhooks costs a handful of reads per interval instead of several per webhook.
 */
export function createLiveChangeBatcher(db: Db, publisher: LivePublisher, options: { delayMs?: number; log?: Logger } = {}): LiveChangeBatcher {
  const delayMs = options.delayMs ?? 25;
  let created = new Set<string>();
  let updated = new Set<string>();
  let conversations = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const flush = async (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    if (created.size + updated.size + conversations.size === 0) return running;
    const change = { createdMessageIds: [...created], updatedMessageIds: [...updated].filter((id) => !created.has(id)), conversationIds: [...conversations] };
    created = new Set();
    updated = new Set();
    conversations = new Set();
    running = running
      .then(async () => publisher.publish(await buildLiveEvents(db, change)))
      .catch((err: unknown) => options.log?.warn({ err }, "live events not published"));
    return running;
  };

  return {
    add(change) {
      for (const id of change.createdMessageIds ?? []) created.add(id);
      for (const id of change.updatedMessageIds ?? []) updated.add(id);
      for (const id of change.conversationIds ?? []) conversations.add(id);
      timer ??= setTimeout(() => void flush(), delayMs);
    },
    flush,
  };
}
