import type { InfiniteData } from "@tanstack/react-query";
import type { MessageDto } from "@inbox/contracts";
import type { Page } from "../inbox/api";

/**
 * How far an outbound message has got (Meta's ticks). Queued and sending are one step: a send that failed for a
 * moment goes back to queued. Failed is final, as on the server (apply-status-events).
 */
const RANK: Partial<Record<MessageDto["status"], number>> = {
  queued: 0,
  sending: 0,
  sent: 1,
  delivered: 2,
  read: 3,
  played: 4,
  failed: 5,
};

/**
 * The later of two versions of one message. Events of different processes (the api's status webhook, the worker's
 * send) and a refetch that started before an event can hand over an older version after a newer one: it may carry
 * other news, but never moves the ticks back.
 */
export function newerVersion(current: MessageDto, incoming: MessageDto): MessageDto {
  const was = RANK[current.status];
  const is = RANK[incoming.status];
  if (was === undefined || is === undefined || is >= was) return incoming;
  return {
    ...incoming,
    status: current.status,
    sentAt: current.sentAt ?? incoming.sentAt,
    deliveredAt: current.deliveredAt ?? incoming.deliveredAt,
    readAt: current.readAt ?? incoming.readAt,
    failedAt: current.failedAt ?? incoming.failedAt,
    errorCode: current.errorCode ?? incoming.errorCode,
    errorTitle: current.errorTitle ?? incoming.errorTitle,
    errorDetails: current.errorDetails ?? incoming.errorDetails,
  };
}

/** The server's thread order, newest first: createdAt desc, then id desc. */
function isOlderThan(m: MessageDto, than: MessageDto): boolean {
  const a = Date.parse(m.createdAt);
  const b = Date.parse(than.createdAt);
  return a < b || (a === b && m.id < than.id);
}

/**
 * Puts messages (live events, the answer to a send) into a thread's newest-first pages: a message already there is
 * replaced by the later version (an event that arrives twice changes nothing); a new one goes where the server's
 * order puts it, so events that overtake each other still show in order. A message older than everything loaded,
 * while older pages are not loaded yet, is left to the page that will load it. Pages that do not change keep their
 * identity (rows that did not change are not rendered again).
 */
export function upsertMessages(
  data: InfiniteData<Page<MessageDto>>,
  messages: MessageDto[],
  options: { insert: boolean } = { insert: true },
): InfiniteData<Page<MessageDto>> {
  let pages = data.pages;
  const changed = new Set<number>();
  const edit = (index: number): MessageDto[] => {
    if (!changed.has(index)) {
      if (pages === data.pages) pages = [...data.pages];
      pages[index] = { ...pages[index]!, items: [...pages[index]!.items] };
      changed.add(index);
    }
    return pages[index]!.items;
  };
  for (const message of messages) {
    let found = false;
    for (let p = 0; p < pages.length && !found; p++) {
      const at = pages[p]!.items.findIndex((m) => m.id === message.id);
      if (at === -1) continue;
      found = true;
      const next = newerVersion(pages[p]!.items[at]!, message);
      if (next !== pages[p]!.items[at]) edit(p)[at] = next;
    }
    if (found || !options.insert) continue;
    let placed = false;
    for (let p = 0; p < pages.length && !placed; p++) {
      const at = pages[p]!.items.findIndex((m) => isOlderThan(m, message));
      if (at === -1) continue;
      edit(p).splice(at, 0, message);
      placed = true;
    }
    const last = pages.length - 1;
    if (!placed && last >= 0 && pages[last]!.nextCursor === null) edit(last).push(message);
  }
  return pages === data.pages ? data : { ...data, pages };
}

/**
 * Live messages of the last moments, so that a thread read from the server does not lose what arrived while it was
 * being read: the answer reflects the database when the server read it, and an event that came in meanwhile (and
 * was put into the cache the answer now replaces) may be newer.
 */
export class RecentMessages {
  private seq = 0;
  private readonly entries: { seq: number; message: MessageDto }[] = [];

  constructor(private readonly capacity = 2000) {}

  /** A point in the stream: `since(…, mark())` later returns what was recorded after it. */
  mark(): number {
    return this.seq;
  }

  record(message: MessageDto): void {
    this.entries.push({ seq: ++this.seq, message });
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  since(conversationId: string, mark: number): MessageDto[] {
    return this.entries
      .filter((e) => e.seq > mark && e.message.conversationId === conversationId)
      .map((e) => e.message);
  }
}

/**
 * A page of a thread as the server answered it, with the live messages recorded since `mark` (taken before the
 * request) merged in: the newest page may gain messages, older pages only newer versions of theirs.
 */
export function withRecent(page: Page<MessageDto>, recent: MessageDto[], isNewestPage: boolean): Page<MessageDto> {
  if (recent.length === 0) return page;
  return upsertMessages({ pages: [page], pageParams: [null] }, recent, { insert: isNewestPage }).pages[0]!;
}
