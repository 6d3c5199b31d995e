/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- tests edit Meta's raw JSON examples */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PgPool } from "@inbox/db";
import { createTestDatabase, type TestDatabase } from "@inbox/db/testing";
import { parseWebhookPayload, type WebhookPayload } from "@inbox/whatsapp";
import * as fx from "@inbox/whatsapp/fixtures";
import { JOB_SCHEMAS } from "@inbox/jobs";
import { applyWhatsAppDelivery } from "./apply-whatsapp-delivery";
import { ChannelDirectory } from "./channel-directory";
import { ConsentKeywordCache } from "./consent-keywords";
import { mergePayloads } from "./delivery-batcher";
import { planFastDelivery } from "./pg-fast-path";
import { ROUTE_JOB } from "./store-phone-senders";
import { toMessageDto } from "../messages/to-message-dto";

// The pg hot path must behave exactly like the full (Prisma) path for the deliveries it takes.
let t: TestDatabase;
let pool: PgPool;
let teamId: string;
let seq = 0;

const parse = (v: unknown): WebhookPayload => {
  const r = parseWebhookPayload(v);
  if (!r.ok) throw new Error(r.issues.join("; "));
  return r.payload;
};
const channels = new ChannelDirectory(0);
const apply = (v: unknown) => applyWhatsAppDelivery({ db: t.db, channels, pool }, parse(v));
const text = (body: string, opts: { from: string; timestamp?: number; id?: string; name?: string }) => {
  const p = JSON.parse(JSON.stringify(fx.TEXT_MESSAGE_WEBHOOK));
  const v = p.entry[0].changes[0].value;
  v.metadata = fx.META_METADATA;
  v.contacts[0].wa_id = opts.from;
  if (opts.name) v.contacts[0].profile.name = opts.name;
  v.messages[0].from = opts.from;
  v.messages[0].id = opts.id ?? `wamid.fast-${++seq}`;
  v.messages[0].text.body = body;
  if (opts.timestamp) v.messages[0].timestamp = String(opts.timestamp);
  return p;
};

const statusOf = (wamid: string, status: string, timestamp = 1_763_900_000) =>
  fx.envelope({
    messaging_product: "whatsapp",
    metadata: fx.META_METADATA,
    statuses: [{ id: wamid, status, timestamp: String(timestamp), recipient_id: "491710000009" }],
  });
let channelIdValue = "";
const channelIdOf = () => channelIdValue;

beforeAll(async () => {
  t = await createTestDatabase();
  pool = t.pgPool;
  const team = await t.db.team.create({ data: { name: "Support" } });
  teamId = team.id;
  channelIdValue = (
    await t.db.channel.create({
      data: { type: "whatsapp", name: "WA", externalId: fx.META_METADATA.phone_number_id, defaultTeamId: team.id },
    })
  ).id;
});
afterAll(async () => {
  await t.drop();
});

describe("applyWhatsAppDelivery on the pg hot path", () => {
  it("takes statuses and phone-only customer messages without media or keywords", async () => {
    const kw = new ConsentKeywordCache(0);
    const plan = (v: unknown) => planFastDelivery(t.db, channels, kw, parse(v));
    expect(await plan(text("hello", { from: "491710000000" }))).not.toBeNull();
    expect(await plan(statusOf("wamid.plan-1", "delivered"))).not.toBeNull();
    expect(
      await plan(mergePayloads([parse(text("hi", { from: "491710000000" })), parse(statusOf("wamid.plan-2", "read"))])),
    ).not.toBeNull();
    expect(await plan(text("STOP", { from: "491710000000" }))).toBeNull();
    expect(await plan(fx.IMAGE_MESSAGE_WEBHOOK)).toBeNull();
    expect(await plan(fx.USER_CHANGED_NUMBER_WEBHOOK)).toBeNull();
    expect(await plan(fx.BSUID_TEXT_MESSAGE_WEBHOOK)).toBeNull();
    expect(
      await plan(fx.envelope({ messaging_product: "whatsapp", metadata: fx.META_METADATA, statuses: [] })),
    ).toBeNull();
  });

  it("applies status reports like the full path, alone and merged with messages in one transaction", async () => {
    const conv = (await apply(text("wer schreibt?", { from: "491710000009" }))).conversationIds[0]!;
    const out = await t.db.message.create({
      data: {
        conversationId: conv,
        channelId: channelIdOf(),
        direction: "outbound",
        type: "text",
        text: "Antwort",
        status: "sent",
        externalId: "wamid.fast-out-1",
      },
    });
    const r1 = await apply(statusOf("wamid.fast-out-1", "delivered", 1_763_900_100));
    expect(r1.counts.statuses).toBe(1);
    expect(r1.updatedMessageIds).toEqual([out.id]);
    expect((await t.db.message.findUniqueOrThrow({ where: { id: out.id } })).status).toBe("delivered");
    // A redelivered status changes nothing; a merged batch applies the read and stores the message together.
    expect((await apply(statusOf("wamid.fast-out-1", "delivered", 1_763_900_100))).counts.statuses).toBe(0);
    const merged = mergePayloads([
      parse(statusOf("wamid.fast-out-1", "read", 1_763_900_200)),
      parse(text("gelesen?", { from: "491710000009" })),
    ]);
    const r2 = await applyWhatsAppDelivery({ db: t.db, channels, pool }, merged);
    expect(r2.counts).toMatchObject({ messages: 1, statuses: 1 });
    expect((await t.db.message.findUniqueOrThrow({ where: { id: out.id } })).status).toBe("read");
    // A merged batch that fails stores nothing of either part.
    const broken = mergePayloads([
      parse(statusOf("wamid.fast-out-1", "failed", 1_763_900_300)),
      parse(text("x", { from: "491710000009", id: "wamid.fast-rollback" })),
    ]);
    const failing = {
      ...pool,
      query: pool.query.bind(pool),
      connect: async () => {
        const client = await pool.connect();
        const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
        (client as unknown as { query: unknown }).query = (text: unknown, ...rest: unknown[]) =>
          typeof text === "string" &&
          text.includes("jsonb_to_recordset") &&
          !text.includes("inbox_store_inbound_messages")
            ? Promise.reject(Object.assign(new Error("statement failed"), { code: "XX000" }))
            : query(text, ...rest);
        return client;
      },
    } as unknown as PgPool;
    await expect(applyWhatsAppDelivery({ db: t.db, channels, pool: failing }, broken)).rejects.toThrow(
      "statement failed",
    );
    expect(await t.db.message.count({ where: { externalId: "wamid.fast-rollback" } })).toBe(0);
    expect((await t.db.message.findUniqueOrThrow({ where: { id: out.id } })).status).toBe("read");
  });

  it("opens a conversation in the default team, routes it once, counts unread, reopens a resolved one", async () => {
    const from = "491710000001";
    const ts = 1_763_800_000;
    const r1 = await apply(text("one", { from, timestamp: ts, name: "Erika" }));
    expect(r1.counts).toMatchObject({ messages: 1, duplicates: 0 });
    const conv = await t.db.conversation.findUniqueOrThrow({ where: { id: r1.conversationIds[0]! } });
    expect(conv).toMatchObject({ status: "open", teamId, assigneeId: null, unreadCount: 1 });
    expect(conv.lastInboundAt?.getTime()).toBe(ts * 1000);
    expect(conv.windowExpiresAt?.getTime()).toBe((ts + 24 * 3600) * 1000);
    const contact = await t.db.contact.findFirstOrThrow({ where: { waId: from } });
    expect(contact).toMatchObject({ profileName: "Erika" });
    expect(contact.lastSeenAt?.getTime()).toBe(ts * 1000);
    expect(await t.db.outboxJob.count({ where: { jobId: `conversation.route-${conv.id}` } })).toBe(1);
    const msg = await t.db.message.findFirstOrThrow({ where: { conversationId: conv.id } });
    expect(msg).toMatchObject({ direction: "inbound", type: "text", text: "one", status: "received" });
    expect(msg.providerTimestamp?.getTime()).toBe(ts * 1000);
    expect((msg.payload as any).text.body).toBe("one");

    // a late delivery never moves the window backwards; a new profile name is taken over
    await apply(text("late", { from, timestamp: ts - 3600 * 30, name: "Erika M." }));
    const after = await t.db.conversation.findUniqueOrThrow({ where: { id: conv.id } });
    expect(after.lastInboundAt?.getTime()).toBe(ts * 1000);
    expect(after.unreadCount).toBe(2);
    expect((await t.db.contact.findUniqueOrThrow({ where: { id: contact.id } })).profileName).toBe("Erika M.");

    await t.db.conversation.update({
      where: { id: conv.id },
      data: { status: "resolved", activeContactId: null, resolvedAt: new Date() },
    });
    const r3 = await apply(text("three", { from, timestamp: ts + 60 }));
    expect(r3.conversationIds).toEqual([conv.id]);
    expect(await t.db.conversation.findUniqueOrThrow({ where: { id: conv.id } })).toMatchObject({
      status: "open",
      activeContactId: contact.id,
      resolvedAt: null,
    });
    expect(await t.db.conversation.count({ where: { contactId: contact.id } })).toBe(1);
    // Reopening is not a new conversation: still the one routing job.
    expect(
      await t.db.outboxJob.count({
        where: { name: "conversation.route", payload: { equals: { conversationId: conv.id } } },
      }),
    ).toBe(1);
  });

  it("updates known senders' profiles and lastSeenAt in one go, and leaves unchanged ones as they were", async () => {
    const ts = 1_763_900_000;
    const senders = ["491710000101", "491710000102", "491710000103"];
    const first = senders.map((from, i) => parse(text(`hi ${i}`, { from, timestamp: ts, name: `Name ${i}` })));
    await applyWhatsAppDelivery({ db: t.db, channels, pool }, mergePayloads(first));
    const before = new Map(
      (await t.db.contact.findMany({ where: { waId: { in: senders } } })).map((c) => [c.waId!, c]),
    );
    // 0: new name a minute later; 1: same name ten minutes later (stale lastSeenAt); 2: same name a minute later.
    const second = [
      parse(text("again 0", { from: senders[0]!, timestamp: ts + 60, name: "Name 0 neu" })),
      parse(text("again 1", { from: senders[1]!, timestamp: ts + 600, name: "Name 1" })),
      parse(text("again 2", { from: senders[2]!, timestamp: ts + 60, name: "Name 2" })),
    ];
    await applyWhatsAppDelivery({ db: t.db, channels, pool }, mergePayloads(second));
    const after = new Map((await t.db.contact.findMany({ where: { waId: { in: senders } } })).map((c) => [c.waId!, c]));
    expect(after.get(senders[0]!)).toMatchObject({ profileName: "Name 0 neu" });
    expect(after.get(senders[0]!)!.lastSeenAt!.getTime()).toBe((ts + 60) * 1000);
    expect(after.get(senders[1]!)).toMatchObject({ profileName: "Name 1" });
    expect(after.get(senders[1]!)!.lastSeenAt!.getTime()).toBe((ts + 600) * 1000);
    expect(after.get(senders[2]!)!.updatedAt).toEqual(before.get(senders[2]!)!.updatedAt);
    expect(after.get(senders[2]!)!.lastSeenAt).toEqual(before.get(senders[2]!)!.lastSeenAt);
  });

  it("a redelivered wamid is stored once and does not reopen the conversation", async () => {
    const payload = text("hello", { from: "491710000002" });
    expect((await apply(payload)).counts.messages).toBe(1);
    const conv = await t.db.conversation.findFirstOrThrow({ where: { contact: { waId: "491710000002" } } });
    await t.db.conversation.update({
      where: { id: conv.id },
      data: { status: "resolved", activeContactId: null, unreadCount: 0 },
    });
    expect((await apply(payload)).counts).toMatchObject({ messages: 0, duplicates: 1 });
    expect((await t.db.conversation.findUniqueOrThrow({ where: { id: conv.id } })).status).toBe("resolved");
  });

  it("concurrent identical deliveries store the message once", async () => {
    const payload = text("race", { from: "491710000003" });
    const results = await Promise.all(Array.from({ length: 5 }, () => apply(payload)));
    expect(results.reduce((n, r) => n + r.counts.messages, 0)).toBe(1);
    const conv = await t.db.conversation.findFirstOrThrow({ where: { contact: { waId: "491710000003" } } });
    expect(conv.unreadCount).toBe(1);
  });

  it("a merged delivery of many senders (with a duplicate) creates each contact and conversation once", async () => {
    const payloads = Array.from({ length: 30 }, (_, i) =>
      parse(text(`m${i}`, { from: `49172000000${i % 6}`, id: `wamid.merge-${i}` })),
    );
    payloads.push(parse(text("m3", { from: "491720000003", id: "wamid.merge-3" })));
    const result = await applyWhatsAppDelivery({ db: t.db, channels, pool }, mergePayloads(payloads));
    expect(result.counts).toMatchObject({ messages: 30, duplicates: 1 });
    expect(await t.db.contact.count({ where: { waId: { startsWith: "49172" } } })).toBe(6);
    const convs = await t.db.conversation.findMany({ where: { contact: { waId: { startsWith: "49172" } } } });
    expect(convs).toHaveLength(6);
    expect(convs.reduce((n, c) => n + c.unreadCount, 0)).toBe(30);
  });

  it("a keyword still records consent (full path)", async () => {
    const r = await apply(text("Stopp!", { from: "491710000004" }));
    expect(r.counts.consents).toBe(2); // "STOP" withdraws service and marketing
    expect(await t.db.outboxJob.count({ where: { name: "consent.confirm" } })).toBe(1);
  });

  it("a customer message ends a snooze and opens a pending conversation", async () => {
    const from = "491710000005";
    const r1 = await apply(text("first", { from }));
    const id = r1.conversationIds[0]!;
    await t.db.conversation.update({
      where: { id },
      data: { status: "pending", snoozedUntil: new Date(Date.now() + 3600_000), unreadCount: 0 },
    });
    await apply(text("still there?", { from }));
    expect(await t.db.conversation.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "open",
      snoozedUntil: null,
      unreadCount: 1,
    });
  });

  it("concurrent deliveries from one new customer create one contact and one conversation with every message", async () => {
    const from = "491710000006";
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => apply(text(`burst ${i}`, { from }))));
    expect(results.reduce((n, r) => n + r.counts.messages, 0)).toBe(6);
    expect(await t.db.contact.count({ where: { waId: from } })).toBe(1);
    const convs = await t.db.conversation.findMany({ where: { contact: { waId: from } } });
    expect(convs).toHaveLength(1);
    expect(convs[0]!.unreadCount).toBe(6);
    expect(await t.db.message.count({ where: { conversationId: convs[0]!.id } })).toBe(6);
  });

  it("the routing job the database function writes is the job the worker expects", async () => {
    const r = await apply(text("route me", { from: "491710000007" }));
    const row = await t.db.outboxJob.findUniqueOrThrow({ where: { jobId: `${ROUTE_JOB}-${r.conversationIds[0]}` } });
    expect(row.name).toBe(ROUTE_JOB);
    expect(JOB_SCHEMAS[ROUTE_JOB].parse(row.payload)).toEqual({ conversationId: r.conversationIds[0] });
    expect(r.outboxWritten).toBe(true);
  });

  it("hands over the stored rows for live events, equal to what a read gives", async () => {
    const r = await apply(text("live row", { from: "491710000008" }));
    expect(r.storedMessages).toHaveLength(1);
    const { row, teamId: rowTeam, assigneeId } = r.storedMessages[0]!;
    expect({ teamId: rowTeam, assigneeId }).toEqual({ teamId, assigneeId: null });
    const stored = await t.db.message.findUniqueOrThrow({ where: { id: row.id } });
    expect(toMessageDto(row)).toEqual(toMessageDto(stored));
  });
});
