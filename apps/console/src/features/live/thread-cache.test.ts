import { describe, expect, it } from "vitest";
import type { InfiniteData } from "@tanstack/react-query";
import type { MessageDto } from "@inbox/contracts";
import type { Page } from "../inbox/api";
import { newerVersion, RecentMessages, upsertMessages, withRecent } from "./thread-cache";

const msg = (id: string, createdAt: string, over: Partial<MessageDto> = {}) =>
  ({ id, createdAt, conversationId: "c1", status: "received", ...over }) as MessageDto;
const thread = (...pages: { items: MessageDto[]; nextCursor: string | null }[]): InfiniteData<Page<MessageDto>> => ({
  pages,
  pageParams: pages.map((_, i) => (i === 0 ? null : `cursor-${i}`)),
});
const ids = (data: InfiniteData<Page<MessageDto>>) => data.pages.flatMap((p) => p.items.map((m) => m.id));

describe("upsertMessages (live messages into a newest-first thread)", () => {
  const list = thread({
    items: [msg("c", "2026-11-23T10:00:03.000Z"), msg("a", "2026-11-23T10:00:01.000Z")],
    nextCursor: null,
  });

  it("puts the newest message first", () => {
    expect(ids(upsertMessages(list, [msg("d", "2026-11-23T10:00:04.000Z")]))).toEqual(["d", "c", "a"]);
  });

  it("puts a message that arrives late (an earlier createdAt) where the server's order has it", () => {
    // e.g. the opt-out confirmation's event overtakes the customer's "STOP" of the webhook batch.
    expect(ids(upsertMessages(list, [msg("b", "2026-11-23T10:00:02.000Z")]))).toEqual(["c", "b", "a"]);
    expect(ids(upsertMessages(list, [msg("z", "2026-11-23T09:59:59.000Z")]))).toEqual(["c", "a", "z"]);
  });

  it("breaks createdAt ties by id descending, as the server does", () => {
    expect(ids(upsertMessages(list, [msg("b", "2026-11-23T10:00:03.000Z")]))).toEqual(["c", "b", "a"]);
    expect(ids(upsertMessages(list, [msg("d", "2026-11-23T10:00:03.000Z")]))).toEqual(["d", "c", "a"]);
  });

  it("takes an event that arrives twice once, and changes nothing the second time (same object back)", () => {
    const d = msg("d", "2026-11-23T10:00:04.000Z");
    const once = upsertMessages(list, [d]);
    expect(ids(upsertMessages(once, [d, d]))).toEqual(["d", "c", "a"]);
    expect(upsertMessages(once, [d])).toBe(once);
  });

  it("keeps the pages it does not change (their rows are not rendered again)", () => {
    const two = thread(
      { items: [msg("d", "2026-11-23T10:00:04.000Z")], nextCursor: "x" },
      { items: [msg("c", "2026-11-23T10:00:03.000Z")], nextCursor: null },
    );
    const after = upsertMessages(two, [msg("e", "2026-11-23T10:00:05.000Z")]);
    expect(after.pages[1]).toBe(two.pages[1]);
    expect(ids(after)).toEqual(["e", "d", "c"]);
  });

  it("puts a message into the older page it belongs to, and leaves one older than all loaded to its page", () => {
    const partial = thread(
      { items: [msg("f", "2026-11-23T10:00:06.000Z"), msg("e", "2026-11-23T10:00:05.000Z")], nextCursor: "x" },
      { items: [msg("c", "2026-11-23T10:00:03.000Z")], nextCursor: "y" },
    );
    expect(ids(upsertMessages(partial, [msg("d", "2026-11-23T10:00:04.000Z")]))).toEqual(["f", "e", "d", "c"]);
    // Older than anything loaded while more is to come: the page that loads it will have it (no gap, no twice).
    expect(ids(upsertMessages(partial, [msg("a", "2026-11-23T10:00:01.000Z")]))).toEqual(["f", "e", "c"]);
    // Everything loaded: it goes to the end.
    const complete = thread({ ...partial.pages[0]! }, { ...partial.pages[1]!, nextCursor: null });
    expect(ids(upsertMessages(complete, [msg("a", "2026-11-23T10:00:01.000Z")]))).toEqual(["f", "e", "c", "a"]);
  });

  it("a burst of 200 messages over 10 threads, shuffled and partly twice, gives each thread the server's order", () => {
    let seed = 19;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const all: MessageDto[] = [];
    for (let i = 0; i < 200; i++) {
      // Several messages share a millisecond (one delivery): the id decides, as on the server.
      const at = new Date(Date.UTC(2026, 11, 3, 10, 0, 0, Math.floor(i / 3))).toISOString();
      all.push(msg(`m${String(i).padStart(3, "0")}`, at, { conversationId: `c${i % 10}` }));
    }
    const arrivals = [...all, ...all.filter(() => random() < 0.2)];
    for (let i = arrivals.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [arrivals[i], arrivals[j]] = [arrivals[j]!, arrivals[i]!];
    }
    const threads = new Map<string, InfiniteData<Page<MessageDto>>>();
    // In frames of up to 7 events, as the console takes them in.
    for (let i = 0; i < arrivals.length; i += 7) {
      const frame = arrivals.slice(i, i + 7);
      for (const c of new Set(frame.map((m) => m.conversationId))) {
        const before = threads.get(c) ?? thread({ items: [], nextCursor: null });
        threads.set(
          c,
          upsertMessages(
            before,
            frame.filter((m) => m.conversationId === c),
          ),
        );
      }
    }
    for (let c = 0; c < 10; c++) {
      const expected = all
        .filter((m) => m.conversationId === `c${c}`)
        .map((m) => m.id)
        .reverse();
      expect(ids(threads.get(`c${c}`)!)).toEqual(expected);
    }
  });
});

describe("newerVersion (status events that overtake each other)", () => {
  const out = (status: MessageDto["status"], over: Partial<MessageDto> = {}) =>
    msg("o", "2026-11-23T10:00:00.000Z", { direction: "outbound", status, ...over });

  it("never moves the ticks back: 'delivered' after 'read' keeps read", () => {
    const read = out("read", { readAt: "2026-11-23T10:00:03.000Z", deliveredAt: "2026-11-23T10:00:02.000Z" });
    const late = out("delivered", { deliveredAt: "2026-11-23T10:00:02.000Z", text: "edited" });
    expect(newerVersion(read, late)).toMatchObject({ status: "read", readAt: read.readAt, text: "edited" });
    expect(newerVersion(late, read)).toBe(read);
  });

  it("takes a send that went back to queued (a retry), and keeps failed as final", () => {
    expect(newerVersion(out("sending"), out("queued")).status).toBe("queued");
    const failed = out("failed", { errorCode: 131026, failedAt: "2026-11-23T10:00:04.000Z" });
    expect(newerVersion(failed, out("sent"))).toMatchObject({ status: "failed", errorCode: 131026 });
  });

  it("in a thread: a stale 'sent' after 'delivered' leaves the message delivered", () => {
    const data = thread({ items: [out("delivered")], nextCursor: null });
    expect(upsertMessages(data, [out("sent")]).pages[0]!.items[0]!.status).toBe("delivered");
  });
});

describe("a thread read while live messages arrive (refetch after a send, an assignment or a reconnect)", () => {
  it("keeps what arrived during the request, and does not take a message twice", () => {
    const recent = new RecentMessages();
    recent.record(msg("before", "2026-11-23T10:00:00.000Z"));
    const mark = recent.mark();
    // While the request runs: a new message, a newer status of one the answer has, and another thread's message.
    recent.record(msg("during", "2026-11-23T10:00:05.000Z"));
    recent.record(msg("o", "2026-11-23T10:00:02.000Z", { direction: "outbound", status: "read" }));
    recent.record(msg("elsewhere", "2026-11-23T10:00:06.000Z", { conversationId: "c2" }));
    const answer: Page<MessageDto> = {
      items: [
        msg("o", "2026-11-23T10:00:02.000Z", { direction: "outbound", status: "sent" }),
        msg("before", "2026-11-23T10:00:00.000Z"),
      ],
      nextCursor: null,
    };
    const page = withRecent(answer, recent.since("c1", mark), true);
    expect(page.items.map((m) => `${m.id}:${m.status}`)).toEqual(["during:received", "o:read", "before:received"]);
    // The same again (a reconnect's catch-up replays what the answer has): nothing twice.
    expect(withRecent(page, recent.since("c1", mark), true).items.map((m) => m.id)).toEqual(["during", "o", "before"]);
  });

  it("an older page gains nothing new (new messages belong to the newest page), only newer versions of its own", () => {
    const recent = new RecentMessages();
    const mark = recent.mark();
    recent.record(msg("new", "2026-11-23T10:00:09.000Z"));
    recent.record(msg("old", "2026-11-23T09:00:00.000Z", { direction: "outbound", status: "delivered" }));
    const older: Page<MessageDto> = {
      items: [msg("old", "2026-11-23T09:00:00.000Z", { direction: "outbound", status: "sent" })],
      nextCursor: "z",
    };
    expect(withRecent(older, recent.since("c1", mark), false).items.map((m) => `${m.id}:${m.status}`)).toEqual([
      "old:delivered",
    ]);
  });

  it("forgets the oldest beyond its capacity", () => {
    const recent = new RecentMessages(2);
    const mark = recent.mark();
    for (const id of ["a", "b", "c"]) recent.record(msg(id, "2026-11-23T10:00:00.000Z"));
    expect(recent.since("c1", mark).map((m) => m.id)).toEqual(["b", "c"]);
  });
});
