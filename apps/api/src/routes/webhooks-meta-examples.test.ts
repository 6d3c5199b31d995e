/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- tests edit Meta's raw JSON examples */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "@inbox/config";
import { createUser } from "@inbox/core";
import { SESSION_COOKIE, type MessageDto } from "@inbox/contracts";
import { createTestDatabase, createTestRedisPrefix, TEST_REDIS_URL, type TestDatabase } from "@inbox/db/testing";
import { createRedis, JobQueues } from "@inbox/jobs";
import { createLogger } from "@inbox/logger";
import * as fx from "@inbox/whatsapp/fixtures";
import { buildApp } from "../app";
import type { App } from "../types";
import { postSignedWebhook } from "../test/signed-webhook";

/*
 * Meta's documented webhook examples (packages/whatsapp/src/fixtures/webhooks.ts names the reference page of each,
 * under developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/…, v24+
 * shapes), signed with the app secret as Meta signs them: every one is answered 200, stored once however often it
 * arrives, and shows up in its conversation through the console's API with a type and a text an agent can read.
 */
const APP_SECRET = "meta-examples-secret";
let t: TestDatabase;
let app: App;
let cookie: string;
const redis = createRedis(TEST_REDIS_URL);
let n = 0;

const post = (payload: unknown) => postSignedWebhook(app, payload, APP_SECRET);

/** The fixture with its own customer and wamids, so every case has a conversation of its own. */
function own(fixture: unknown, from: string) {
  const p = structuredClone(fixture) as any;
  const v = p.entry[0].changes[0].value;
  for (const c of v.contacts ?? []) c.wa_id = from;
  for (const m of v.messages ?? []) {
    m.id = `wamid.meta-example-${++n}`;
    if (m.from) m.from = from;
  }
  return p;
}

async function messagesOf(conversationId: string): Promise<MessageDto[]> {
  const res = await app.inject({
    method: "GET",
    url: `/api/conversations/${conversationId}/messages`,
    headers: { cookie },
  });
  expect(res.statusCode).toBe(200);
  return res.json<{ items: MessageDto[] }>().items;
}

/** Posts twice (Meta redelivers): 200 both times, one stored row; returns the message as the console API shows it. */
async function deliverTwiceAndRead(payload: any): Promise<MessageDto> {
  const wamid = payload.entry[0].changes[0].value.messages[0].id as string;
  for (let i = 0; i < 2; i++) expect((await post(payload)).statusCode).toBe(200);
  const rows = await t.db.message.findMany({ where: { externalId: wamid } });
  expect(rows).toHaveLength(1);
  const dto = (await messagesOf(rows[0]!.conversationId)).find((m) => m.externalId === wamid);
  expect(dto).toBeDefined();
  return dto!;
}

beforeAll(async () => {
  t = await createTestDatabase();
  const team = await t.db.team.create({ data: { name: "Support" } });
  await t.db.channel.create({
    data: { type: "whatsapp", name: "WA", externalId: fx.META_METADATA.phone_number_id, defaultTeamId: team.id },
  });
  app = await buildApp({
    env: parseEnv({ DATABASE_URL: t.url, LOG_LEVEL: "silent", WHATSAPP_APP_SECRET: APP_SECRET }),
    db: t.db,
    pgPool: t.pgPool,
    redis,
    queues: new JobQueues(redis, createTestRedisPrefix()),
    log: createLogger({ name: "test", level: "silent", pretty: false }),
    clock: () => new Date(),
    consoleDir: null,
  });
  await createUser(
    t.db,
    { email: "admin@example.com", password: "correct horse battery", role: "admin", teams: [] },
    {
      type: "system",
    },
  );
  const login = await app.inject({
    method: "POST",
    url: "/api/auth/login",
    payload: { email: "admin@example.com", password: "correct horse battery" },
  });
  cookie = `${SESSION_COOKIE}=${login.cookies.find((c) => c.name === SESSION_COOKIE)!.value}`;
});
afterAll(async () => {
  await app.close();
  redis.disconnect();
  await t.drop();
});

const EXAMPLES: { name: string; fixture: unknown; type: string; text: RegExp }[] = [
  { name: "text", fixture: fx.TEXT_MESSAGE_WEBHOOK, type: "text", text: /^Does it come in another color\?$/ },
  { name: "text from an ad (referral)", fixture: fx.REFERRAL_TEXT_MESSAGE_WEBHOOK, type: "text", text: /more info/ },
  {
    name: "voice message",
    fixture: fx.AUDIO_MESSAGE_WEBHOOK,
    type: "audio",
    text: /^Sprachnachricht \/ Voice message$/,
  },
  { name: "image", fixture: fx.IMAGE_MESSAGE_WEBHOOK, type: "image", text: /^Taj Mahal$/ },
  { name: "video", fixture: fx.VIDEO_MESSAGE_WEBHOOK, type: "video", text: /^Look at this$/ },
  { name: "document", fixture: fx.DOCUMENT_MESSAGE_WEBHOOK, type: "document", text: /^my receipt$/ },
  { name: "sticker", fixture: fx.STICKER_MESSAGE_WEBHOOK, type: "sticker", text: /^Sticker \/ Sticker$/ },
  { name: "reaction", fixture: fx.REACTION_MESSAGE_WEBHOOK, type: "reaction", text: /^👍$/ },
  { name: "template quick-reply button", fixture: fx.BUTTON_MESSAGE_WEBHOOK, type: "button", text: /^Unsubscribe$/ },
  { name: "reply button", fixture: fx.BUTTON_REPLY_MESSAGE_WEBHOOK, type: "interactive", text: /^Cancel$/ },
  { name: "list reply", fixture: fx.LIST_REPLY_MESSAGE_WEBHOOK, type: "interactive", text: /^Priority Mail Express$/ },
  { name: "location", fixture: fx.LOCATION_MESSAGE_WEBHOOK, type: "location", text: /Philz Coffee, 101 Forest Ave/ },
  { name: "shared contact", fixture: fx.CONTACTS_MESSAGE_WEBHOOK, type: "contacts", text: /^Barbara J\. Johnson$/ },
  { name: "order", fixture: fx.ORDER_MESSAGE_WEBHOOK, type: "order", text: /^Love these!$/ },
  // Not understood: kept, shown as `unsupported` with Meta's error in words (German line, English line).
  {
    name: "unsupported type (131051)",
    fixture: fx.UNSUPPORTED_MESSAGE_WEBHOOK,
    type: "unsupported",
    text: /\(edit\)[\s\S]*131051[\s\S]*\n.*Ask the customer/,
  },
  {
    name: "unknown future type",
    fixture: fx.FUTURE_TYPE_MESSAGE_WEBHOOK,
    type: "unsupported",
    text: /„hologram“[\s\S]*\n.*"hologram", which the inbox cannot show/,
  },
  {
    name: "value-level error next to a message without body (131000)",
    fixture: fx.VALUE_ERRORS_WITH_MESSAGE_WEBHOOK,
    type: "unsupported",
    text: /Meta 131000: Something went wrong – Message failed to send due to an unknown error[\s\S]*\nMeta did not pass/,
  },
  {
    name: "legacy unknown type (131051)",
    fixture: fx.LEGACY_UNKNOWN_MESSAGE_WEBHOOK,
    type: "unsupported",
    text: /^Nicht unterstützte Nachricht\.[\s\S]*131051[\s\S]*\nUnsupported message\./,
  },
  { name: "forwarded text", fixture: fx.FORWARDED_TEXT_MESSAGE_WEBHOOK, type: "text", text: /^Look what my friend/ },
  { name: "reply to a business message", fixture: fx.REPLY_TEXT_MESSAGE_WEBHOOK, type: "text", text: /^Yes, tomorrow/ },
  {
    name: "reaction removed (no emoji)",
    fixture: fx.REACTION_REMOVED_MESSAGE_WEBHOOK,
    type: "reaction",
    text: /^Reaktion entfernt \/ Reaction removed$/,
  },
  {
    name: "customer_identity_changed (security code)",
    fixture: fx.CUSTOMER_IDENTITY_CHANGED_WEBHOOK,
    type: "system",
    text: /customer_identity_changed[\s\S]*security code changed/,
  },
  {
    name: "unknown fields at every level",
    fixture: fx.UNKNOWN_FIELDS_TEXT_WEBHOOK,
    type: "text",
    text: /^Does it come in another color\?$/,
  },
];

describe("Meta's documented webhook examples through POST /webhooks/whatsapp and GET …/messages", () => {
  it.each(EXAMPLES)("$name: 200, stored once, shown as $type with a readable text", async ({ fixture, type, text }) => {
    const message = await deliverTwiceAndRead(own(fixture, `49151${String(++n).padStart(7, "0")}`));
    expect(message.type).toBe(type);
    expect(message.direction).toBe("inbound");
    expect(message.text).toMatch(text);
  });

  it("keeps unknown fields in the stored payload", async () => {
    const message = await deliverTwiceAndRead(own(fx.UNKNOWN_FIELDS_TEXT_WEBHOOK, "4915199990001"));
    expect(message.payload).toMatchObject({ translation: { de: "Gibt es das in einer anderen Farbe?" } });
    expect((message.payload as any).text.language).toBe("en");
  });

  it("user_changed_number: a system line in the customer's conversation, the contact keeps its history under the new number", async () => {
    const old = "4915188880001";
    const first = await deliverTwiceAndRead(own(fx.TEXT_MESSAGE_WEBHOOK, old));
    const change = own(fx.USER_CHANGED_NUMBER_WEBHOOK, old);
    const line = await deliverTwiceAndRead(change);
    expect(line.type).toBe("system");
    expect(line.conversationId).toBe(first.conversationId);
    expect(line.text).toMatch(/WhatsApp-Nummer geändert; neue Nummer \(\+12195555358\)[\s\S]*\nThe customer changed/);
    const contact = await t.db.conversation.findUniqueOrThrow({ where: { id: first.conversationId } }).contact();
    expect(contact).toMatchObject({ waId: "12195555358" });
    // A system line is not the customer writing: no unread, no window.
    const conv = await t.db.conversation.findUniqueOrThrow({ where: { id: first.conversationId } });
    expect(conv.unreadCount).toBe(1);
  });

  // Meta's example has no `from_user_id`; a delivery may carry one (every 2026 message can), naming either id.
  it.each([
    ["Meta's example: no from, no contacts", null],
    ["with from_user_id the new id", "user_id"],
    ["with from_user_id the previous id", "previous_user_id"],
  ] as const)(
    "user_changed_user_id (%s): the contact moves to the new BSUID, with a system line in its conversation",
    async (_, fromUserId) => {
      const change = structuredClone(fx.USER_CHANGED_USER_ID_WEBHOOK) as any;
      const element = change.entry[0].changes[0].value.messages[0];
      const bsuid = element.system;
      const i = ++n;
      bsuid.previous_user_id = `${bsuid.previous_user_id}${i}`;
      bsuid.user_id = `${bsuid.user_id}${i}`;
      bsuid.parent_user_id = `${bsuid.parent_user_id}${i}`;
      element.id = `wamid.meta-example-change-${i}`;
      if (fromUserId) element.from_user_id = bsuid[fromUserId];
      const hello = structuredClone(fx.BSUID_TEXT_MESSAGE_WEBHOOK) as any;
      hello.entry[0].changes[0].value.contacts[0].user_id = bsuid.previous_user_id;
      hello.entry[0].changes[0].value.messages[0].from_user_id = bsuid.previous_user_id;
      hello.entry[0].changes[0].value.messages[0].id = `wamid.meta-example-${++n}`;
      const first = await deliverTwiceAndRead(hello);
      const contactsBefore = await t.db.contact.count();
      const line = await deliverTwiceAndRead(change);
      expect(line.type).toBe("system");
      expect(line.conversationId).toBe(first.conversationId);
      expect(line.text).toMatch(
        /BSUID\) des Kunden hat sich geändert[\s\S]*\nThe customer's WhatsApp user ID \(BSUID\) changed/,
      );
      const contact = await t.db.conversation.findUniqueOrThrow({ where: { id: first.conversationId } }).contact();
      expect(contact).toMatchObject({ userId: bsuid.user_id, parentUserId: bsuid.parent_user_id });
      expect(await t.db.contact.count({ where: { userId: bsuid.previous_user_id } })).toBe(0);
      expect(await t.db.contact.count()).toBe(contactsBefore);
    },
  );

  it("value-level errors without a message and a message for an unknown number: 200, quarantined for admins", async () => {
    expect((await post(fx.VALUE_ERRORS_WEBHOOK)).statusCode).toBe(200);
    const elsewhere = own(fx.TEXT_MESSAGE_WEBHOOK, "4915177770001");
    elsewhere.entry[0].changes[0].value.metadata.phone_number_id = "999000999";
    expect((await post(elsewhere)).statusCode).toBe(200);
    const res = await app.inject({ method: "GET", url: "/api/admin/webhooks/quarantine", headers: { cookie } });
    expect(res.statusCode).toBe(200);
    const page = res.json<{ items: { reason: string; payload: unknown }[]; total: number }>();
    expect(page.total).toBe(2);
    expect(page.items.map((i) => i.reason).sort()).toEqual(["unknown_channel", "value_errors"]);
    expect(JSON.stringify(page.items)).toContain(elsewhere.entry[0].changes[0].value.messages[0].id);
    // Meta delivers them again: still two entries waiting, not four.
    expect((await post(fx.VALUE_ERRORS_WEBHOOK)).statusCode).toBe(200);
    expect((await post(elsewhere)).statusCode).toBe(200);
    const again = await app.inject({ method: "GET", url: "/api/admin/webhooks/quarantine", headers: { cookie } });
    expect(again.json<{ total: number }>().total).toBe(2);
  });

  it("a reply keeps what it answers; an emptied reaction emoji is a removed reaction", async () => {
    const reply = await deliverTwiceAndRead(own(fx.REPLY_TEXT_MESSAGE_WEBHOOK, "4915166660001"));
    expect(reply.replyToExternalId).toBe("wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3NjE2RTA1RkE3NTdFNjU1RjEA");
    const emptied = own(fx.REACTION_MESSAGE_WEBHOOK, "4915166660002");
    emptied.entry[0].changes[0].value.messages[0].reaction.emoji = "";
    expect((await deliverTwiceAndRead(emptied)).text).toBe("Reaktion entfernt / Reaction removed");
  });

  it("a username user (empty from, BSUID in from_user_id): 200, stored once under the BSUID", async () => {
    const p = structuredClone(fx.BSUID_TEXT_MESSAGE_WEBHOOK) as any;
    const v = p.entry[0].changes[0].value;
    v.contacts[0].user_id = v.messages[0].from_user_id = "DE.99990000000000000001";
    v.messages[0].id = `wamid.meta-example-${++n}`;
    const message = await deliverTwiceAndRead(p);
    expect(message).toMatchObject({ type: "text", text: "Hi!" });
    const contact = await t.db.conversation.findUniqueOrThrow({ where: { id: message.conversationId } }).contact();
    expect(contact).toMatchObject({ userId: "DE.99990000000000000001", waId: null, username: "sheena.nelson" });
  });

  it("timestamps sent as numbers (as Meta's user_preferences reference shows them): the text and the status as usual", async () => {
    const p = own(fx.TEXT_MESSAGE_WEBHOOK, "4915155550009");
    p.entry[0].changes[0].value.messages[0].timestamp = 1749416383;
    const message = await deliverTwiceAndRead(p);
    expect(message).toMatchObject({ type: "text", text: "Does it come in another color?" });
    expect(message.createdAt).toBeDefined();
    const row = await t.db.message.findUniqueOrThrow({ where: { id: message.id } });
    expect(row.providerTimestamp).toEqual(new Date(1749416383 * 1000));
    const st = structuredClone(fx.STATUS_SENT_WEBHOOK) as any;
    const status = st.entry[0].changes[0].value.statuses[0];
    status.id = `wamid.meta-example-status-${++n}`;
    status.timestamp = Number(status.timestamp);
    for (let i = 0; i < 2; i++) expect((await post(st)).statusCode).toBe(200);
    const events = await t.db.messageStatusEvent.findMany({ where: { externalId: status.id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ status: "sent", occurredAt: new Date(status.timestamp * 1000) });
  });

  it("several messages and statuses of several entries in one delivery: 200, each stored once", async () => {
    const a = own(fx.TEXT_MESSAGE_WEBHOOK, "4915155550001");
    const b = own(fx.IMAGE_MESSAGE_WEBHOOK, "4915155550002");
    a.entry[0].changes[0].value.messages.push(
      own(fx.LOCATION_MESSAGE_WEBHOOK, "4915155550001").entry[0].changes[0].value.messages[0],
    );
    const status = structuredClone((fx.STATUS_SENT_WEBHOOK as any).entry[0].changes[0].value.statuses[0]);
    status.id = `wamid.meta-example-status-${++n}`;
    b.entry[0].changes[0].value.statuses = [status];
    const batch = { object: "whatsapp_business_account", entry: [...a.entry, ...b.entry] };
    const wamids = [...a.entry[0].changes[0].value.messages, ...b.entry[0].changes[0].value.messages].map(
      (m: any) => m.id,
    );
    for (let i = 0; i < 2; i++) expect((await post(batch)).statusCode).toBe(200);
    expect(await t.db.message.count({ where: { externalId: { in: wamids } } })).toBe(3);
    expect(await t.db.messageStatusEvent.count({ where: { externalId: status.id } })).toBe(1);
  });
});

describe("Meta's documented status, preference and other-field examples", () => {
  it.each([
    { name: "sent (with pricing and conversation)", fixture: fx.STATUS_SENT_WEBHOOK },
    { name: "failed (with errors)", fixture: fx.STATUS_FAILED_WEBHOOK },
    { name: "read (free customer service)", fixture: fx.STATUS_READ_FREE_SERVICE_WEBHOOK },
    { name: "played, with the 2026 contacts[] and BSUID", fixture: fx.STATUS_PLAYED_WEBHOOK },
  ])("status $name: 200, stored once per wamid and status", async ({ fixture }) => {
    const p = structuredClone(fixture) as any;
    const s = p.entry[0].changes[0].value.statuses[0];
    s.id = `wamid.meta-example-status-${++n}`;
    for (let i = 0; i < 2; i++) expect((await post(p)).statusCode).toBe(200);
    const rows = await t.db.messageStatusEvent.findMany({ where: { externalId: s.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: s.status, recipientId: s.recipient_id });
  });

  it("user_preferences stop: 200, marketing consent withdrawn once, the delivery kept once", async () => {
    const p = structuredClone(fx.USER_PREFERENCES_STOP_WEBHOOK) as any;
    const pref = p.entry[0].changes[0].value.user_preferences[0];
    pref.wa_id = p.entry[0].changes[0].value.contacts[0].wa_id = "4915144440001";
    for (let i = 0; i < 3; i++) expect((await post(p)).statusCode).toBe(200);
    const contact = await t.db.contact.findFirstOrThrow({ where: { waId: "4915144440001" } });
    const consents = await t.db.consent.findMany({ where: { contactId: contact.id } });
    expect(consents).toMatchObject([{ purpose: "marketing", status: "withdrawn", source: "whatsapp" }]);
    const kept = await t.db.webhookEvent.findMany({ where: { field: "user_preferences" } });
    expect(kept.filter((e) => JSON.stringify(e.payload).includes("4915144440001"))).toHaveLength(1);
  });

  it("a field the product does not act on (account_update): 200, kept once for the record", async () => {
    for (let i = 0; i < 2; i++) expect((await post(fx.ACCOUNT_UPDATE_WEBHOOK)).statusCode).toBe(200);
    const kept = await t.db.webhookEvent.findMany({ where: { field: "account_update" } });
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ quarantineReason: null, payload: { value: { event: "VERIFIED_ACCOUNT" } } });
  });
});
