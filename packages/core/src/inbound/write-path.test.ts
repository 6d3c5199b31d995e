/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- tests edit Meta's raw JSON examples */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@inbox/db/testing";
import { jobIdFor } from "@inbox/jobs";
import * as fx from "@inbox/whatsapp/fixtures";
import { receiveWebchatMessage } from "../channels/webchat/receive-webchat-message";
import { loadConversationDtos } from "../conversations/load-conversation-dtos";
import { applyWhatsAppDelivery } from "./apply-whatsapp-delivery";
import { ChannelDirectory } from "./channel-directory";
import { mergeDeliveries } from "./delivery-batcher";
import { reprocessQuarantinedDeliveries } from "./reprocess-quarantined-deliveries";

/*
 * THE table of behaviours of the inbound write path, run through every way a customer message gets stored:
 * the fast path (plain pg, phone-only senders), the full path (Prisma transaction, contacts resolved in
 * TypeScript) and reprocessing a quarantined delivery — and, for the rules that are not WhatsApp's, a web chat
 * visitor's message (at the end). The rules live once, in the database function
 * `inbox_store_messages`; this table is what keeps every entry point on them. Each entry point sees its own
 * customers (phone numbers by entry point), so the cases cannot pass because of another entry point's rows.
 */
type Deliver = (payload: unknown) => Promise<void>;

interface EntryPoint {
  name: string;
  prefix: string;
  deliver: Deliver;
}

let t: TestDatabase;
let teamId: string;
const channels = new ChannelDirectory(0);
let seq = 0;

const ENTRY_POINTS: EntryPoint[] = [
  {
    name: "fast path",
    prefix: "4917100",
    deliver: async (payload) => {
      const r = await applyWhatsAppDelivery({ db: t.db, channels, pool: t.pgPool }, fx.toDelivery(payload));
      expect(r.path).toBe("fast");
    },
  },
  {
    name: "full path",
    prefix: "4917200",
    deliver: async (payload) => {
      const r = await applyWhatsAppDelivery({ db: t.db, channels }, fx.toDelivery(payload));
      expect(r.path).toBe("full");
    },
  },
  {
    name: "reprocessing a quarantined delivery",
    prefix: "4917300",
    deliver: async (payload) => {
      const row = await t.db.webhookEvent.create({
        data: { field: "messages", payload: payload as object, quarantineReason: "unknown_channel" },
      });
      await reprocessQuarantinedDeliveries({ db: t.db }, { since: row.receivedAt });
      expect((await t.db.webhookEvent.findUniqueOrThrow({ where: { id: row.id } })).handledAt).not.toBeNull();
    },
  },
];

/** Meta's text example from `from`, with a fresh wamid unless given. */
function text(body: string, opts: { from: string; timestamp?: number; id?: string; name?: string }) {
  const p = structuredClone(fx.TEXT_MESSAGE_WEBHOOK) as any;
  const v = p.entry[0].changes[0].value;
  v.contacts[0].wa_id = opts.from;
  if (opts.name) v.contacts[0].profile.name = opts.name;
  v.messages[0].from = opts.from;
  v.messages[0].id = opts.id ?? `wamid.table-${++seq}`;
  v.messages[0].text.body = body;
  if (opts.timestamp) v.messages[0].timestamp = String(opts.timestamp);
  return p;
}

/** One delivery with a text from each sender (Meta may put several customers' messages into one value). */
function textsFrom(senders: string[]) {
  const p = text("", { from: senders[0]! });
  const v = p.entry[0].changes[0].value;
  const parts = senders.map((from) => text(`hello from ${from}`, { from }).entry[0].changes[0].value);
  v.contacts = parts.map((part) => part.contacts[0]);
  v.messages = parts.map((part) => part.messages[0]);
  return p;
}

const contactOf = (waId: string) => t.db.contact.findFirstOrThrow({ where: { waId } });
const conversationsOf = async (waId: string) =>
  t.db.conversation.findMany({ where: { contact: { waId } }, orderBy: { createdAt: "asc" } });
const routeJobs = (conversationId: string) =>
  t.db.outboxJob.count({
    where: { name: "conversation.route", payload: { path: ["conversationIds"], array_contains: [conversationId] } },
  });

beforeAll(async () => {
  t = await createTestDatabase();
  teamId = (await t.db.team.create({ data: { name: "Support" } })).id;
  await t.db.channel.create({
    data: { type: "whatsapp", name: "WA", externalId: fx.META_METADATA.phone_number_id, defaultTeamId: teamId },
  });
});
afterAll(async () => {
  await t.drop();
});

describe.each(ENTRY_POINTS)("the inbound write path through the $name", ({ prefix, deliver }) => {
  const customer = (n: number) => `${prefix}${String(n).padStart(5, "0")}`;

  it("opens a conversation in the default team, routes it once, counts unread, runs the window from Meta's time", async () => {
    const from = customer(1);
    const ts = 1_763_800_000;
    await deliver(text("one", { from, timestamp: ts, name: "Erika" }));
    const [conv] = await conversationsOf(from);
    expect(conv).toMatchObject({ status: "open", teamId, assigneeId: null, unreadCount: 1 });
    expect(conv!.lastInboundAt?.getTime()).toBe(ts * 1000);
    const [dto] = await loadConversationDtos(t.db, [conv!.id]);
    expect(dto!.windowExpiresAt).toBe(new Date((ts + 24 * 3600) * 1000).toISOString());
    expect(await contactOf(from)).toMatchObject({ profileName: "Erika" });
    expect((await contactOf(from)).lastSeenAt?.getTime()).toBe(ts * 1000);
    expect(await routeJobs(conv!.id)).toBe(1);
    const msg = await t.db.message.findFirstOrThrow({ where: { conversationId: conv!.id } });
    expect(msg).toMatchObject({ direction: "inbound", type: "text", text: "one", status: "received" });
    expect(msg.providerTimestamp?.getTime()).toBe(ts * 1000);
    expect((msg.payload as any).text.body).toBe("one");
  });

  it("one routing job for every conversation a call opens (lowest id as its key), none for a known customer", async () => {
    const known = customer(40);
    await deliver(text("first", { from: known }));
    const fresh = [customer(41), customer(42), customer(43)];
    await deliver(textsFrom([known, ...fresh]));
    const [old] = await conversationsOf(known);
    expect(await routeJobs(old!.id)).toBe(1);
    const opened = (await Promise.all(fresh.map(conversationsOf))).map((list) => list[0]!.id).sort();
    const jobs = await t.db.outboxJob.findMany({
      where: { name: "conversation.route", payload: { path: ["conversationIds"], array_contains: [opened[0]!] } },
    });
    expect(jobs.map((j) => [j.jobId, j.payload])).toEqual([
      [jobIdFor("conversation.route", opened[0]!), { conversationIds: opened }],
    ]);
  });

  it("a late delivery never moves the window backwards; a newer profile name is taken over", async () => {
    const from = customer(2);
    const ts = 1_763_800_000;
    await deliver(text("new", { from, timestamp: ts, name: "Erika" }));
    await deliver(text("late", { from, timestamp: ts - 3600 * 30, name: "Erika M." }));
    const [conv] = await conversationsOf(from);
    expect(conv!.lastInboundAt?.getTime()).toBe(ts * 1000);
    expect(conv!.unreadCount).toBe(2);
    expect((await contactOf(from)).profileName).toBe("Erika M.");
  });

  it("reopens the newest resolved conversation (no second routing job)", async () => {
    const from = customer(3);
    await deliver(text("one", { from }));
    const [conv] = await conversationsOf(from);
    await t.db.conversation.update({
      where: { id: conv!.id },
      data: { status: "resolved", activeContactId: null, resolvedAt: new Date(), unreadCount: 0 },
    });
    await deliver(text("again", { from }));
    const after = await conversationsOf(from);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: conv!.id, status: "open", resolvedAt: null, unreadCount: 1 });
    expect(after[0]!.activeContactId).toBe(after[0]!.contactId);
    expect(await routeJobs(conv!.id)).toBe(1);
  });

  it("a redelivered wamid is stored once, reopens nothing and leaves the contact as it is", async () => {
    const from = customer(4);
    const first = text("hello", { from, name: "Old name" });
    await deliver(first);
    await deliver(text("later", { from, name: "New name" }));
    const [conv] = await conversationsOf(from);
    await t.db.conversation.update({
      where: { id: conv!.id },
      data: { status: "resolved", activeContactId: null, unreadCount: 0 },
    });
    await deliver(first);
    expect(await t.db.message.count({ where: { conversationId: conv!.id } })).toBe(2);
    expect((await t.db.conversation.findUniqueOrThrow({ where: { id: conv!.id } })).status).toBe("resolved");
    expect((await contactOf(from)).profileName).toBe("New name");
  });

  it("concurrent identical deliveries store the message once and count it once", async () => {
    const from = customer(5);
    const payload = text("race", { from });
    await Promise.all(Array.from({ length: 5 }, () => deliver(payload)));
    const convs = await conversationsOf(from);
    expect(convs).toHaveLength(1);
    expect(convs[0]!.unreadCount).toBe(1);
    expect(await t.db.message.count({ where: { conversationId: convs[0]!.id } })).toBe(1);
  });

  it("concurrent deliveries of one new customer make one contact and one conversation with every message", async () => {
    const from = customer(6);
    await Promise.all(Array.from({ length: 6 }, (_, i) => deliver(text(`burst ${i}`, { from }))));
    expect(await t.db.contact.count({ where: { waId: from } })).toBe(1);
    const convs = await conversationsOf(from);
    expect(convs).toHaveLength(1);
    expect(convs[0]!.unreadCount).toBe(6);
    expect(await t.db.message.count({ where: { conversationId: convs[0]!.id } })).toBe(6);
  });

  it("a customer message ends a snooze and opens a pending conversation", async () => {
    const from = customer(7);
    await deliver(text("first", { from }));
    const [conv] = await conversationsOf(from);
    await t.db.conversation.update({
      where: { id: conv!.id },
      data: { status: "pending", snoozedUntil: new Date(Date.now() + 3600_000), unreadCount: 0 },
    });
    await deliver(text("still there?", { from }));
    expect(await t.db.conversation.findUniqueOrThrow({ where: { id: conv!.id } })).toMatchObject({
      status: "open",
      snoozedUntil: null,
      unreadCount: 1,
    });
  });

  it("refreshes lastSeenAt at most every 5 minutes, and at once with a changed profile", async () => {
    const [a, b, c] = [customer(8), customer(9), customer(10)];
    const ts = 1_763_900_000;
    for (const [i, from] of [a, b, c].entries()) await deliver(text(`hi ${i}`, { from, timestamp: ts, name: `N${i}` }));
    const before = await contactOf(c);
    await deliver(text("again", { from: a, timestamp: ts + 60, name: "N0 neu" }));
    await deliver(text("again", { from: b, timestamp: ts + 600, name: "N1" }));
    await deliver(text("again", { from: c, timestamp: ts + 60, name: "N2" }));
    expect((await contactOf(a)).lastSeenAt?.getTime()).toBe((ts + 60) * 1000);
    expect((await contactOf(a)).profileName).toBe("N0 neu");
    expect((await contactOf(b)).lastSeenAt?.getTime()).toBe((ts + 600) * 1000);
    const after = await contactOf(c);
    expect(after.lastSeenAt).toEqual(before.lastSeenAt);
    expect(after.updatedAt).toEqual(before.updatedAt);
  });

  it("writes no new version of a known sender's contact when nothing about it changed", async () => {
    const from = customer(11);
    const ts = 1_763_900_000;
    await deliver(text("hi", { from, timestamp: ts, name: "Same" }));
    const version = async () =>
      (await t.db.$queryRaw<{ v: string }[]>`SELECT xmin::text AS v FROM "Contact" WHERE "waId" = ${from}`)[0]!.v;
    const before = await version();
    await deliver(text("again", { from, timestamp: ts + 60, name: "Same" }));
    await deliver(text("and again", { from, timestamp: ts + 90, name: "Same" }));
    expect(await version()).toBe(before);
    expect(await t.db.message.count({ where: { conversation: { contact: { waId: from } } } })).toBe(3);
    // A changed profile is still written (and then the contact has a new version).
    await deliver(text("new name", { from, timestamp: ts + 120, name: "Changed" }));
    expect(await version()).not.toBe(before);
    expect((await contactOf(from)).profileName).toBe("Changed");
  });

  it("a batch of many senders (with a duplicate) makes each contact and conversation once", async () => {
    const senders = Array.from({ length: 6 }, (_, i) => customer(20 + i));
    const deliveries = Array.from({ length: 18 }, (_, i) =>
      fx.toDelivery(text(`m${i}`, { from: senders[i % 6]!, id: `wamid.batch-${prefix}-${i}` })),
    );
    deliveries.push(fx.toDelivery(text("m3", { from: senders[3]!, id: `wamid.batch-${prefix}-3` })));
    const merged = mergeDeliveries(deliveries);
    expect(merged.changes).toHaveLength(1);
    await deliver(fx.envelope(merged.changes[0]!.value));
    const convs = await t.db.conversation.findMany({ where: { contact: { waId: { in: senders } } } });
    expect(convs).toHaveLength(6);
    expect(convs.reduce((n, c) => n + c.unreadCount, 0)).toBe(18);
    expect(await t.db.contact.count({ where: { waId: { in: senders } } })).toBe(6);
  });

  it("a message Meta could not process is kept as `unsupported`, opens the window and counts as unread", async () => {
    const from = customer(30);
    const p = structuredClone(fx.VALUE_ERRORS_WITH_MESSAGE_WEBHOOK) as any;
    const v = p.entry[0].changes[0].value;
    v.contacts[0].wa_id = from;
    v.messages[0].from = from;
    v.messages[0].id = `wamid.table-${++seq}`;
    await deliver(p);
    const [conv] = await conversationsOf(from);
    expect(conv!.unreadCount).toBe(1);
    expect(conv!.lastInboundAt?.getTime()).toBe(Number(v.messages[0].timestamp) * 1000);
    const msg = await t.db.message.findFirstOrThrow({ where: { conversationId: conv!.id } });
    expect(msg).toMatchObject({ type: "unsupported", errorCode: 131000, errorTitle: "Something went wrong" });
    expect(msg.text).toMatch(/Meta 131000/);
  });

  it("a message with an unusable timestamp is stored and counted but does not move the window", async () => {
    const from = customer(31);
    const ts = 1_763_800_000;
    await deliver(text("first", { from, timestamp: ts }));
    const p = text("when?", { from });
    p.entry[0].changes[0].value.messages[0].timestamp = "yesterday";
    await deliver(p);
    const [conv] = await conversationsOf(from);
    expect(conv!.unreadCount).toBe(2);
    expect(conv!.lastInboundAt?.getTime()).toBe(ts * 1000);
    const late = await t.db.message.findFirstOrThrow({
      where: { externalId: p.entry[0].changes[0].value.messages[0].id },
    });
    expect(late).toMatchObject({ type: "unsupported", providerTimestamp: null });
  });
});

/*
 * Web chat visitors' messages go through the same database function (`receiveWebchatMessage` → `storeMessages`):
 * the conversation rules above hold for them too.
 */
describe("the inbound write path through the web chat", () => {
  let channelId: string;
  let n = 0;
  const receive = (visitorId: string, text: string, clientMessageId: string = randomUUID(), now = new Date()) =>
    receiveWebchatMessage(t.db, {
      channel: { id: channelId, defaultTeamId: teamId },
      visitorId,
      clientMessageId,
      text,
      now,
    });
  async function visitor() {
    const visitorId = `visitor-${++n}`;
    const contact = await t.db.contact.create({ data: { channelId, externalId: visitorId } });
    await t.db.consent.create({
      data: { contactId: contact.id, purpose: "service", status: "granted", source: "widget", occurredAt: new Date() },
    });
    return { visitorId, contactId: contact.id };
  }

  beforeAll(async () => {
    channelId = (await t.db.channel.create({ data: { type: "webchat", name: "Web", externalId: "key-write-path" } }))
      .id;
  });

  it("opens a conversation in the default team with one routing job, counts unread, stores a resend once", async () => {
    const { visitorId } = await visitor();
    const first = await receive(visitorId, "Hallo");
    const resend = await receive(visitorId, "Hallo", first.message.clientMessageId ?? undefined);
    const second = await receive(visitorId, "Noch da?");
    expect(first.isNew && second.isNew).toBe(true);
    expect(second.conversationId).toBe(first.conversationId);
    const conv = await t.db.conversation.findUniqueOrThrow({ where: { id: first.conversationId } });
    expect(conv).toMatchObject({ teamId, status: "open", unreadCount: 2 });
    expect(await routeJobs(conv.id)).toBe(1);
    expect(await t.db.outboxJob.count({ where: { jobId: jobIdFor("conversation.route", conv.id) } })).toBe(1);
    expect(resend).toMatchObject({ isNew: false, messageId: first.messageId });
  });

  it("reopens the resolved conversation; a pending or snoozed one becomes open again", async () => {
    const { visitorId } = await visitor();
    const first = await receive(visitorId, "eins");
    await t.db.conversation.update({
      where: { id: first.conversationId },
      data: { status: "resolved", activeContactId: null, resolvedAt: new Date(), unreadCount: 0 },
    });
    const again = await receive(visitorId, "zwei");
    expect(again.conversationId).toBe(first.conversationId);
    expect(await t.db.conversation.findUniqueOrThrow({ where: { id: first.conversationId } })).toMatchObject({
      status: "open",
      resolvedAt: null,
      unreadCount: 1,
    });
    await t.db.conversation.update({
      where: { id: first.conversationId },
      data: { status: "pending", snoozedUntil: new Date(Date.now() + 3600_000) },
    });
    await receive(visitorId, "drei");
    expect(await t.db.conversation.findUniqueOrThrow({ where: { id: first.conversationId } })).toMatchObject({
      status: "open",
      snoozedUntil: null,
      unreadCount: 2,
    });
    expect(await routeJobs(first.conversationId)).toBe(1);
  });
});
