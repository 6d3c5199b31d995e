/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- tests edit Meta's raw JSON examples */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@inbox/db/testing";
import * as fx from "@inbox/whatsapp/fixtures";
import { applyWhatsAppDelivery } from "./apply-whatsapp-delivery";
import { ChannelDirectory } from "./channel-directory";
import { recordAcceptedSends } from "../outbound/send-statements";

// Meta's documented example payloads (packages/whatsapp/src/fixtures, each names its reference page).
let t: TestDatabase;
let channelId: string;
let teamId: string;
let seq = 0;

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const parse = fx.toDelivery;
const apply = (v: unknown) => applyWhatsAppDelivery({ db: t.db, channels: new ChannelDirectory(0) }, parse(v));

/** A fixture with fresh wamids and sender (Meta's examples share ids across types). */
function fresh(fixture: unknown, opts: { from?: string; timestamp?: number } = {}) {
  const p = clone(fixture) as any;
  const value = p.entry[0].changes[0].value;
  const from = opts.from ?? `4915${String(++seq).padStart(9, "0")}`;
  for (const m of value.messages ?? []) {
    m.id = `wamid.test-${++seq}`;
    if (m.from) m.from = from;
    if (opts.timestamp) m.timestamp = String(opts.timestamp);
  }
  for (const c of value.contacts ?? []) if (c.wa_id) c.wa_id = from;
  return p;
}
const text = (body: string, opts: { from?: string; timestamp?: number; id?: string } = {}) => {
  const p = fresh(fx.TEXT_MESSAGE_WEBHOOK, opts);
  p.entry[0].changes[0].value.messages[0].text.body = body;
  if (opts.id) p.entry[0].changes[0].value.messages[0].id = opts.id;
  return p;
};
const status = (wamid: string, s: string, timestamp: number, extra: Record<string, unknown> = {}) =>
  fx.envelope({
    messaging_product: "whatsapp",
    metadata: fx.META_METADATA,
    statuses: [{ id: wamid, status: s, timestamp: String(timestamp), recipient_id: "16505551234", ...extra }],
  });

async function outboundMessage(wamid: string) {
  const contact = await t.db.contact.create({ data: { channelId, waId: `49170${++seq}` } });
  const conv = await t.db.conversation.create({
    data: { channelId, contactId: contact.id, activeContactId: contact.id },
  });
  return t.db.message.create({
    data: {
      conversationId: conv.id,
      channelId,
      direction: "outbound",
      type: "text",
      text: "hi",
      status: "sending",
      externalId: wamid,
    },
  });
}

beforeAll(async () => {
  t = await createTestDatabase();
  const team = await t.db.team.create({ data: { name: "Support" } });
  teamId = team.id;
  const channel = await t.db.channel.create({
    data: { type: "whatsapp", name: "WA", externalId: fx.META_METADATA.phone_number_id, defaultTeamId: team.id },
  });
  channelId = channel.id;
});
afterAll(async () => {
  await t.drop();
});

describe("applyWhatsAppDelivery: messages", () => {
  it("stores every documented message type once, each kept with its type", async () => {
    const fixtures = {
      text: fx.TEXT_MESSAGE_WEBHOOK,
      audio: fx.AUDIO_MESSAGE_WEBHOOK,
      image: fx.IMAGE_MESSAGE_WEBHOOK,
      document: fx.DOCUMENT_MESSAGE_WEBHOOK,
      reaction: fx.REACTION_MESSAGE_WEBHOOK,
      button: fx.BUTTON_MESSAGE_WEBHOOK,
      interactive: fx.BUTTON_REPLY_MESSAGE_WEBHOOK,
      list: fx.LIST_REPLY_MESSAGE_WEBHOOK,
      location: fx.LOCATION_MESSAGE_WEBHOOK,
      contacts: fx.CONTACTS_MESSAGE_WEBHOOK,
      order: fx.ORDER_MESSAGE_WEBHOOK,
      unsupported: fx.UNSUPPORTED_MESSAGE_WEBHOOK,
    };
    for (const [name, fixture] of Object.entries(fixtures)) {
      const payload = fresh(fixture);
      const wamid = payload.entry[0].changes[0].value.messages[0].id as string;
      const result = await apply(payload);
      expect(result.counts.messages, name).toBe(1);
      const stored = await t.db.message.findUniqueOrThrow({
        where: { channelId_externalId: { channelId, externalId: wamid } },
      });
      expect(stored.direction).toBe("inbound");
      expect(stored.type).toBe(payload.entry[0].changes[0].value.messages[0].type);
      expect(stored.status).toBe("received");
      expect(stored.providerTimestamp?.getTime()).toBe(
        Number(payload.entry[0].changes[0].value.messages[0].timestamp) * 1000,
      );
    }
    const media = await t.db.mediaAsset.findMany({ where: { channelId } });
    expect(media.map((m) => m.mimeType).sort()).toEqual(["application/pdf", "audio/ogg; codecs=opus", "image/jpeg"]);
    expect(media.every((m) => m.status === "pending" && m.messageId)).toBe(true);
    const jobs = await t.db.outboxJob.findMany({ where: { name: "media.download" } });
    expect(jobs).toHaveLength(3);
  });

  it("a redelivered wamid is stored once and does not touch the conversation again", async () => {
    const payload = text("hello", { from: "491700000001" });
    const first = await apply(payload);
    expect(first.counts.messages).toBe(1);
    const conv = await t.db.conversation.findFirstOrThrow({ where: { contact: { waId: "491700000001" } } });
    await t.db.conversation.update({
      where: { id: conv.id },
      data: { status: "resolved", activeContactId: null, unreadCount: 0 },
    });
    const again = await apply(payload);
    expect(again.counts).toMatchObject({ messages: 0, duplicates: 1 });
    const after = await t.db.conversation.findUniqueOrThrow({ where: { id: conv.id } });
    expect(after.status).toBe("resolved");
    expect(await t.db.message.count({ where: { externalId: payload.entry[0].changes[0].value.messages[0].id } })).toBe(
      1,
    );
  });

  it("concurrent identical deliveries store the message once", async () => {
    const payload = text("race", { from: "491700000002" });
    const results = await Promise.all(Array.from({ length: 5 }, () => apply(payload)));
    expect(results.reduce((n, r) => n + r.counts.messages, 0)).toBe(1);
    const conv = await t.db.conversation.findFirstOrThrow({ where: { contact: { waId: "491700000002" } } });
    expect(conv.unreadCount).toBe(1);
    expect(await t.db.conversation.count({ where: { contact: { waId: "491700000002" } } })).toBe(1);
  });

  it("concurrent and repeated deliveries of a part without a key of Meta's keep it once; a marketing stop counts once", async () => {
    const update = clone(fx.ACCOUNT_UPDATE_WEBHOOK) as any;
    update.entry[0].changes[0].value.event = `CONCURRENT_${++seq}`;
    const stop = clone(fx.USER_PREFERENCES_STOP_WEBHOOK) as any;
    const waId = `4916${String(++seq).padStart(9, "0")}`;
    stop.entry[0].changes[0].value.user_preferences[0].wa_id = waId;
    stop.entry[0].changes[0].value.contacts[0].wa_id = waId;
    const unknownNumber = clone(fx.TEXT_MESSAGE_WEBHOOK) as any;
    unknownNumber.entry[0].changes[0].value.metadata.phone_number_id = `9${++seq}`;
    await Promise.all([update, stop, unknownNumber].flatMap((p) => [apply(p), apply(p), apply(p)]));
    const key = update.entry[0].changes[0].value.event as string;
    const events = await t.db.webhookEvent.findMany();
    expect(events.filter((e) => JSON.stringify(e.payload).includes(key))).toHaveLength(1);
    expect(events.filter((e) => JSON.stringify(e.payload).includes(waId))).toHaveLength(1);
    const quarantined = events.filter((e) => JSON.stringify(e.payload).includes(`"9${seq}"`));
    expect(quarantined).toMatchObject([{ quarantineReason: "unknown_channel", handledAt: null }]);
    const contact = await t.db.contact.findFirstOrThrow({ where: { waId } });
    expect(await t.db.consent.count({ where: { contactId: contact.id } })).toBe(1);
    // The same content after the 7 days of redelivery is a new event, kept again.
    await t.db.webhookEvent.updateMany({
      where: { field: "account_update" },
      data: { receivedAt: new Date(Date.now() - 8 * 24 * 3600_000) },
    });
    await apply(update);
    const again = await t.db.webhookEvent.findMany({ where: { field: "account_update" } });
    expect(again.filter((e) => JSON.stringify(e.payload).includes(key))).toHaveLength(2);
  });

  it("opens a conversation in the default team, routes it once, reopens it after it was resolved", async () => {
    const from = "491700000003";
    const r1 = await apply(text("one", { from }));
    const conv = await t.db.conversation.findUniqueOrThrow({ where: { id: r1.conversationIds[0]! } });
    expect(conv).toMatchObject({ status: "open", teamId, assigneeId: null, unreadCount: 1 });
    expect(
      await t.db.outboxJob.count({ where: { name: "conversation.route", jobId: `conversation.route-${conv.id}` } }),
    ).toBe(1);
    await apply(text("two", { from }));
    expect((await t.db.conversation.findUniqueOrThrow({ where: { id: conv.id } })).unreadCount).toBe(2);
    await t.db.conversation.update({
      where: { id: conv.id },
      data: { status: "resolved", activeContactId: null, resolvedAt: new Date() },
    });
    const r3 = await apply(text("three", { from }));
    expect(r3.conversationIds).toEqual([conv.id]);
    const reopened = await t.db.conversation.findUniqueOrThrow({ where: { id: conv.id } });
    expect(reopened).toMatchObject({ status: "open", activeContactId: reopened.contactId, resolvedAt: null });
    expect(await t.db.outboxJob.count({ where: { name: "conversation.route" } })).toBeGreaterThan(0);
    expect(await t.db.conversation.count({ where: { contactId: reopened.contactId } })).toBe(1);
  });

  it("the window runs from Meta's timestamp and a late delivery never moves it backwards", async () => {
    const from = "491700000004";
    const newer = 1_763_800_000;
    await apply(text("newer", { from, timestamp: newer }));
    await apply(text("late", { from, timestamp: newer - 3600 * 30 }));
    const conv = await t.db.conversation.findFirstOrThrow({ where: { contact: { waId: from } } });
    expect(conv.lastInboundAt?.getTime()).toBe(newer * 1000);
    expect(conv.unreadCount).toBe(2);
  });

  it("a batch delivery (several entries, changes, messages and statuses) is applied in one transaction", async () => {
    const out = await outboundMessage("wamid.batch-out");
    const a = text("a", { from: "491700000010" });
    const b = text("b", { from: "491700000011" });
    const value = a.entry[0].changes[0].value;
    value.messages.push(b.entry[0].changes[0].value.messages[0], {
      ...b.entry[0].changes[0].value.messages[0],
      id: "wamid.batch-3",
    });
    value.contacts.push(b.entry[0].changes[0].value.contacts[0]);
    value.statuses = [{ id: "wamid.batch-out", status: "delivered", timestamp: "1750030073", recipient_id: "1" }];
    a.entry.push({
      id: fx.META_WABA_ID,
      changes: [{ field: "messages", value: text("c", { from: "491700000012" }).entry[0].changes[0].value }],
    });
    const r = await apply(a);
    expect(r.counts.messages).toBe(4);
    expect(r.conversationIds).toHaveLength(3);
    expect((await t.db.message.findUniqueOrThrow({ where: { id: out.id } })).status).toBe("delivered");
    expect(
      (await t.db.conversation.findFirstOrThrow({ where: { contact: { waId: "491700000011" } } })).unreadCount,
    ).toBe(2);
  });

  it("a failing delivery stores nothing (no partial delivery)", async () => {
    const p = text("x", { from: "491700000020" });
    const good = p.entry[0].changes[0].value;
    const before = await t.db.message.count();
    // A second change for a channel row that breaks the foreign key midway forces a rollback.
    const broken = parse(p);
    broken.changes.push({
      wabaId: "x",
      field: "messages",
      value: {
        ...good,
        metadata: { display_phone_number: "1", phone_number_id: "999" },
        messages: [{ ...good.messages[0], id: "wamid.other" }],
      },
    });
    const dir = new ChannelDirectory(60_000);
    await dir.findWhatsApp(t.db, fx.META_METADATA.phone_number_id);
    (dir as any).cache.set("999", {
      channel: { id: "00000000-0000-4000-8000-000000000000", externalId: "999", defaultTeamId: null, type: "whatsapp" },
      until: Date.now() + 60_000,
    });
    await expect(applyWhatsAppDelivery({ db: t.db, channels: dir }, broken)).rejects.toThrow();
    expect(await t.db.message.count()).toBe(before);
  });
});

describe("applyWhatsAppDelivery: statuses", () => {
  it("applies Meta's sent, read and failed examples with pricing and errors", async () => {
    const sentWamid = (fx.STATUS_SENT_WEBHOOK as any).entry[0].changes[0].value.statuses[0].id as string;
    const m = await outboundMessage(sentWamid);
    await apply(fx.STATUS_SENT_WEBHOOK);
    expect(await t.db.message.findUniqueOrThrow({ where: { id: m.id } })).toMatchObject({
      status: "sent",
      pricingCategory: "marketing",
    });
    await apply(fx.STATUS_READ_FREE_SERVICE_WEBHOOK);
    const read = await t.db.message.findUniqueOrThrow({ where: { id: m.id } });
    expect(read).toMatchObject({ status: "read", pricingCategory: "service" });
    expect(read.readAt?.getTime()).toBe(1750030080_000);

    const failedWamid = (fx.STATUS_FAILED_WEBHOOK as any).entry[0].changes[0].value.statuses[0].id as string;
    const f = await outboundMessage(failedWamid);
    await apply(fx.STATUS_FAILED_WEBHOOK);
    expect(await t.db.message.findUniqueOrThrow({ where: { id: f.id } })).toMatchObject({
      status: "failed",
      errorCode: 131049,
      errorTitle: "This message was not delivered to maintain healthy ecosystem engagement.",
    });
    // failed is terminal
    await apply(status(failedWamid, "delivered", 1751142999));
    expect((await t.db.message.findUniqueOrThrow({ where: { id: f.id } })).status).toBe("failed");
  });

  it("read before delivered: a late delivered never downgrades, but fills deliveredAt", async () => {
    const m = await outboundMessage("wamid.reorder-1");
    await apply(status("wamid.reorder-1", "read", 1000));
    await apply(status("wamid.reorder-1", "delivered", 990));
    await apply(status("wamid.reorder-1", "sent", 980));
    const row = await t.db.message.findUniqueOrThrow({ where: { id: m.id } });
    expect(row.status).toBe("read");
    expect(row.deliveredAt?.getTime()).toBe(990_000);
    expect(row.sentAt?.getTime()).toBe(980_000);
    expect(await t.db.messageStatusEvent.count({ where: { externalId: "wamid.reorder-1" } })).toBe(3);
  });

  it("played follows read for voice messages; replayed statuses are stored once", async () => {
    const m = await outboundMessage("wamid.voice-1");
    await apply(status("wamid.voice-1", "read", 1000));
    await apply(status("wamid.voice-1", "played", 1010));
    await apply(status("wamid.voice-1", "played", 1010));
    expect((await t.db.message.findUniqueOrThrow({ where: { id: m.id } })).status).toBe("played");
    expect(await t.db.messageStatusEvent.count({ where: { externalId: "wamid.voice-1" } })).toBe(2);
  });

  it("a status for a message not known yet is kept and applied when the worker records the wamid", async () => {
    const r = await apply(status("wamid.early-1", "delivered", 1000));
    expect(r.counts.statuses).toBe(1);
    const ev = await t.db.messageStatusEvent.findFirstOrThrow({ where: { externalId: "wamid.early-1" } });
    expect(ev).toMatchObject({ messageId: null, appliedAt: null });
    // The send Meta accepted: still `sending` without its wamid, as when the webhook overtook the worker's commit.
    const m = await outboundMessage("wamid.early-1");
    await t.db.message.update({ where: { id: m.id }, data: { externalId: null } });
    await recordAcceptedSends(t.db, [{ message: m, externalId: "wamid.early-1", now: new Date() }]);
    expect(await t.db.message.findUniqueOrThrow({ where: { id: m.id } })).toMatchObject({
      status: "delivered",
      externalId: "wamid.early-1",
    });
    expect(await t.db.messageStatusEvent.findFirstOrThrow({ where: { externalId: "wamid.early-1" } })).toMatchObject({
      messageId: m.id,
    });
    expect(
      (await t.db.messageStatusEvent.findFirstOrThrow({ where: { externalId: "wamid.early-1" } })).appliedAt,
    ).not.toBeNull();
  });

  it("a batch of the same status twice and of several wamids is stored once per status and applied in one go", async () => {
    const a = await outboundMessage("wamid.batch-a");
    const b = await outboundMessage("wamid.batch-b");
    const p = status("wamid.batch-a", "delivered", 1000) as {
      entry: { changes: { value: { statuses: Record<string, unknown>[] } }[] }[];
    };
    const v = p.entry[0]!.changes[0]!.value;
    const [first] = v.statuses;
    v.statuses = [
      first!,
      { ...first, status: "delivered" },
      { ...first, id: "wamid.batch-b", status: "read", timestamp: "1010" },
    ];
    const r = await apply(p);
    expect(r.counts.statuses).toBe(2);
    expect(new Set(r.updatedMessageIds)).toEqual(new Set([a.id, b.id]));
    expect((await t.db.message.findUniqueOrThrow({ where: { id: a.id } })).status).toBe("delivered");
    expect(await t.db.message.findUniqueOrThrow({ where: { id: b.id } })).toMatchObject({
      status: "read",
      deliveredAt: null,
    });
  });
});

describe("applyWhatsAppDelivery: identity, consent, other fields", () => {
  it("keys a username user on the BSUID and merges when the phone becomes known", async () => {
    await apply(fx.BSUID_TEXT_MESSAGE_WEBHOOK);
    const bsuid = "US.13491208655302741918";
    const c1 = await t.db.contact.findFirstOrThrow({ where: { userId: bsuid } });
    expect(c1).toMatchObject({ waId: null, username: "sheena.nelson", profileName: "Sheena Nelson" });
    // a phone-only contact for the same person exists from elsewhere
    const phoneOnly = await apply(text("from phone", { from: "491700000030" }));
    const c2 = await t.db.contact.findFirstOrThrow({ where: { waId: "491700000030" } });
    expect(phoneOnly.counts.messages).toBe(1);
    // a delivery naming both identifiers merges them
    const both = text("both", { from: "491700000030" });
    both.entry[0].changes[0].value.contacts[0].user_id = bsuid;
    await apply(both);
    const survivor = await t.db.contact.findFirstOrThrow({ where: { userId: bsuid } });
    expect(survivor.waId).toBe("491700000030");
    const merged = await t.db.contact.findUniqueOrThrow({ where: { id: survivor.id === c1.id ? c2.id : c1.id } });
    expect(merged).toMatchObject({ mergedIntoId: survivor.id, waId: null, userId: null });
    const convs = await t.db.conversation.findMany({
      where: { contactId: survivor.id, activeContactId: { not: null } },
    });
    expect(convs).toHaveLength(1);
    expect(await t.db.message.count({ where: { conversationId: convs[0]!.id } })).toBe(3);
  });

  it("user_changed_number moves the phone to the new number and keeps the history", async () => {
    const old = (fx.USER_CHANGED_NUMBER_WEBHOOK as any).entry[0].changes[0].value.messages[0].from as string;
    await apply(text("before", { from: old }));
    const contact = await t.db.contact.findFirstOrThrow({ where: { waId: old } });
    await apply(fx.USER_CHANGED_NUMBER_WEBHOOK);
    const after = await t.db.contact.findUniqueOrThrow({ where: { id: contact.id } });
    const newWaId = (fx.USER_CHANGED_NUMBER_WEBHOOK as any).entry[0].changes[0].value.messages[0].system
      .wa_id as string;
    expect(after.waId).toBe(newWaId);
    expect(await t.db.message.count({ where: { type: "system", conversation: { contactId: contact.id } } })).toBe(1);
  });

  it("user_changed_user_id moves the BSUID", async () => {
    const p = fresh(fx.BSUID_TEXT_MESSAGE_WEBHOOK);
    const v = p.entry[0].changes[0].value;
    v.contacts[0].user_id = "DE.1";
    v.messages[0].from_user_id = "DE.1";
    await apply(p);
    const sys = clone(p);
    sys.entry[0].changes[0].value.messages = [
      {
        from: "",
        from_user_id: "DE.1",
        id: "wamid.sys-uid",
        timestamp: "1749416400",
        type: "system",
        system: { type: "user_changed_user_id", user_id: "DE.2", previous_user_id: "DE.1" },
      },
    ];
    await apply(sys);
    expect(await t.db.contact.count({ where: { userId: "DE.2" } })).toBe(1);
    expect(await t.db.contact.count({ where: { userId: "DE.1" } })).toBe(0);
  });

  it("opt-out and opt-in keywords (case and accent insensitive) record consent with evidence and enqueue a confirmation", async () => {
    const from = "491700000040";
    await apply(text("  stopp! ", { from }));
    const contact = await t.db.contact.findFirstOrThrow({ where: { waId: from } });
    // "STOP" withdraws everything: service and marketing.
    const withdrawn = await t.db.consent.findMany({ where: { contactId: contact.id } });
    expect(withdrawn.map((c) => `${c.purpose}:${c.status}:${c.source}`).sort()).toEqual([
      "marketing:withdrawn:chat_keyword",
      "service:withdrawn:chat_keyword",
    ]);
    expect(withdrawn[0]!.evidence).toMatchObject({ text: "  stopp! ", keyword: "opt_out" });
    // Opting in again restores service messages and grants marketing (the default opt-in purpose) with its wording.
    await t.db.consentText.create({ data: { purpose: "marketing", language: "de", version: 3, text: "Newsletter?" } });
    await apply(text("Zustímmung", { from }));
    const granted = await t.db.consent.findMany({ where: { contactId: contact.id, status: "granted" } });
    expect(granted.map((c) => c.purpose).sort()).toEqual(["marketing", "service"]);
    expect(granted.find((c) => c.purpose === "marketing")).toMatchObject({
      wordingVersion: 3,
      wordingText: "Newsletter?",
    });
    await apply(text("stop sending me the wrong size please", { from }));
    expect(await t.db.consent.count({ where: { contactId: contact.id } })).toBe(4);
    const jobs = await t.db.outboxJob.findMany({
      where: { name: "consent.confirm", payload: { path: ["contactId"], equals: contact.id } },
    });
    expect(jobs.map((j) => (j.payload as { kind: string }).kind).sort()).toEqual(["opt_in", "opt_out"]);
    // Meta's template quick-reply example answers "Unsubscribe": an opt-out too.
    expect(
      await t.db.consent.count({ where: { status: "withdrawn", evidence: { path: ["text"], equals: "Unsubscribe" } } }),
    ).toBe(2);
  });

  it("keywords are configurable in the Setting table", async () => {
    await t.db.setting.create({ data: { key: "consent.optOutKeywords", value: ["HALT"] } });
    const from = "491700000041";
    await apply(text("halt", { from }));
    await apply(text("STOP", { from }));
    const consents = await t.db.consent.findMany({ where: { contact: { waId: from } } });
    expect(consents.map((c) => c.purpose).sort()).toEqual(["marketing", "service"]);
    await t.db.setting.delete({ where: { key: "consent.optOutKeywords" } });
  });

  it("user_preferences stop withdraws marketing consent; value errors are quarantined, other fields recorded", async () => {
    await apply(fx.USER_PREFERENCES_STOP_WEBHOOK);
    const c = await t.db.consent.findFirstOrThrow({ where: { source: "whatsapp" } });
    expect(c).toMatchObject({ purpose: "marketing", status: "withdrawn" });
    expect((await apply(fx.VALUE_ERRORS_WEBHOOK)).counts).toMatchObject({ quarantined: 1 });
    await apply(fx.envelope({ phone_number: "1", event: "FLAGGED" }, "account_update"));
    const events = await t.db.webhookEvent.findMany({ orderBy: { receivedAt: "asc" } });
    expect(events.map((e) => `${e.field}:${e.quarantineReason}`)).toEqual(
      expect.arrayContaining(["user_preferences:null", "messages:value_errors", "account_update:null"]),
    );
  });

  it("messages for an unknown phone number id are quarantined", async () => {
    const p = text("who", { from: "491700000050" });
    p.entry[0].changes[0].value.metadata.phone_number_id = "5555";
    const waiting = () => t.db.webhookEvent.count({ where: { quarantineReason: "unknown_channel", handledAt: null } });
    const before = await waiting();
    const r = await apply(p);
    expect(r.counts).toMatchObject({ messages: 0, webhookEvents: 1, quarantined: 1 });
    expect(await waiting()).toBe(before + 1);
  });

  it("links a wamid to a send whose answer the worker never stored, through biz_opaque_callback_data", async () => {
    const msg = await outboundMessage(`wamid.placeholder-${++seq}`);
    await t.db.message.update({ where: { id: msg.id }, data: { externalId: null } });
    const wamid = `wamid.linked-${++seq}`;
    await apply(status(wamid, "delivered", 1_700_000_100, { biz_opaque_callback_data: msg.id }));
    const after = await t.db.message.findUniqueOrThrow({ where: { id: msg.id } });
    expect(after.externalId).toBe(wamid);
    expect(after.status).toBe("delivered");
    // Callback data that is not one of our ids changes nothing.
    await apply(status(`wamid.other-${++seq}`, "sent", 1_700_000_200, { biz_opaque_callback_data: "campaign-42" }));
    expect(await t.db.message.count({ where: { externalId: { startsWith: "wamid.other-" } } })).toBe(0);
  });
});
