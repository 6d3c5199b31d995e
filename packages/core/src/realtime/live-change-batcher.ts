import { pgSql, type Db, type PgPool } from "@inbox/db";
import type { Logger } from "@inbox/logger";
import { buildLiveEvents, type LiveChange, type LiveMessageRow } from "./live-dtos";
import type { LivePublisher } from "./live-publisher";

export interface LiveChangeBatcher {
  /** Records committed changes; their events are built and published within `delayMs`. Never throws. */
  add(change: LiveChange): void;
  /** Publishes what is pending now (shutdown, tests). */
  flush(): Promise<void>;
}

/**
 * Collects committed changes for a few milliseconds and turns them into live events with one set of queries, so a
 * burst of webhooks costs a handful of reads per interval instead of several per webhook. The reads run on the
 * plain pg pool when there is one (the receiver's), else on Prisma.
 */
export function createLiveChangeBatcher(
  source: { db: Db; pool?: PgPool | undefined },
  publisher: LivePublisher,
  options: { delayMs?: number; log?: Logger } = {},
): LiveChangeBatcher {
  const db = source.pool ? pgSql(source.pool) : source.db;
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
      .catch((err: unknown) => options.log?.warn({ err }, "live events not published"));
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
