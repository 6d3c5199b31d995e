import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@inbox/db/testing";
import { randomUUID } from "node:crypto";
import { isAppError } from "../errors/app-error";
import { queueOutboundMessage } from "./queue-outbound-message";
import { queueDepsFor } from "../testing";
import { recordConsent, seedOutbound } from "./outbound-fixtures.test-helpers";

const HOUR = 3600 * 1000;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
}

describe("queueOutboundMessage", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });
  let deps: ReturnType<typeof queueDepsFor>;
  beforeEach(() => {
    deps = queueDepsFor(t.db);
  });
  const queue = (conversationId: string, body: Parameters<typeof queueOutboundMessage>[1]["body"]) =>
    queueOutboundMessage(deps, { conversationId, body, senderId: null });

  it("stores a free-form message inside the window as queued with its send job in the outbox", async () => {
    const { conversation } = await seedOutbound(t.db, { lastInboundAt: new Date(Date.now() - 23 * HOUR) });
    const { message, isNew } = await queue(conversation.id, { type: "text", text: "Hallo!", clientId: "c1" });
    expect(isNew).toBe(true);
    expect(message).toMatchObject({
      status: "queued",
      direction: "outbound",
      type: "text",
      clientId: "c1",
      externalId: null,
    });
    const jobs = await t.db.outboxJob.findMany({ where: { jobId: `message.send-${message.id}` } });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.payload).toEqual({ messageId: message.id });
  });

  it("refuses free-form text once 24 h passed since the customer's last message (window_closed)", async () => {
    const { conversation } = await seedOutbound(t.db, { lastInboundAt: new Date(Date.now() - 25 * HOUR) });
    expect(await codeOf(queue(conversation.id, { type: "text", text: "Hallo", clientId: "c1" }))).toBe("window_closed");
    expect(await t.db.message.count({ where: { conversationId: conversation.id } })).toBe(0);
  });

  it("never-contacted customers: the window is closed", async () => {
    const { conversation } = await seedOutbound(t.db, { lastInboundAt: null });
    expect(await codeOf(queue(conversation.id, { type: "text", text: "Hallo", clientId: "c1" }))).toBe("window_closed");
  });

  it("outside the window: an approved utility template needs the service consent (consent_missing, then ok)", async () => {
    const { conversation, contact } = await seedOutbound(t.db, { lastInboundAt: new Date(Date.now() - 48 * HOUR) });
    const body = {
      type: "template" as const,
      clientId: "t1",
      template: { name: "order_update", language: "de", parameters: { "1": "A-17" } },
    };
    expect(await codeOf(queue(conversation.id, body))).toBe("consent_missing");
    await recordConsent(t.db, contact.id, "service", "granted");
    const { message } = await queue(conversation.id, body);
    expect(message).toMatchObject({
      status: "queued",
      type: "template",
      templateName: "order_update",
      text: "Ihre Bestellung A-17 ist unterwegs.",
    });
    expect(message.payload).toMatchObject({ category: "utility", businessInitiated: true });
  });

  it("marketing templates need marketing consent even inside the window; a withdrawn one is opted_out", async () => {
    const { conversation, contact } = await seedOutbound(t.db);
    const body = (clientId: string) => ({
      type: "template" as const,
      clientId,
      template: { name: "spring_sale", language: "de", parameters: {} },
    });
    expect(await codeOf(queue(conversation.id, body("m1")))).toBe("consent_missing");
    await recordConsent(t.db, contact.id, "marketing", "granted", new Date(Date.now() - 1000));
    expect(await codeOf(queue(conversation.id, body("m2")))).toBe("ok");
    await recordConsent(t.db, contact.id, "marketing", "withdrawn");
    expect(await codeOf(queue(conversation.id, body("m3")))).toBe("opted_out");
    // A marketing opt-out does not block service replies.
    expect(await codeOf(queue(conversation.id, { type: "text", text: "Gern geschehen", clientId: "m4" }))).toBe("ok");
  });

  it("unknown and unapproved templates are refused with their own codes", async () => {
    const { conversation, contact } = await seedOutbound(t.db);
    await recordConsent(t.db, contact.id, "marketing", "granted");
    const tpl = (name: string) => ({
      type: "template" as const,
      clientId: name,
      template: { name, language: "de", parameters: {} },
    });
    expect(await codeOf(queue(conversation.id, tpl("no_such_template")))).toBe("template_not_found");
    expect(await codeOf(queue(conversation.id, tpl("draft_offer")))).toBe("template_not_approved");
  });

  it("a wrong number of template parameters is refused with template_parameters_invalid", async () => {
    const { conversation } = await seedOutbound(t.db);
    const body = {
      type: "template" as const,
      clientId: "p1",
      template: { name: "order_update", language: "de", parameters: {} },
    };
    expect(await codeOf(queue(conversation.id, body))).toBe("template_parameters_invalid");
  });

  it("opted_out is answered first: before window, template and consent", async () => {
    const { conversation, contact } = await seedOutbound(t.db, { lastInboundAt: new Date(Date.now() - 48 * HOUR) });
    await recordConsent(t.db, contact.id, "service", "withdrawn");
    expect(await codeOf(queue(conversation.id, { type: "text", text: "Hallo", clientId: "o1" }))).toBe("opted_out");
    const unknown = {
      type: "template" as const,
      clientId: "o2",
      template: { name: "no_such_template", language: "de", parameters: {} },
    };
    expect(await codeOf(queue(conversation.id, unknown))).toBe("opted_out");
    // …except the opt-out confirmation itself.
    const confirmation = await queueOutboundMessage(deps, {
      conversationId: conversation.id,
      body: { type: "text", text: "Abgemeldet.", clientId: "o3" },
      senderId: null,
      isOptOutConfirmation: true,
    });
    expect(confirmation.message.status).toBe("queued");
  });

  it("the same clientId returns the same message and records one send job, even when raced", async () => {
    const { conversation } = await seedOutbound(t.db);
    const body = { type: "text" as const, text: "Einmal bitte", clientId: "same-key" };
    const [a, b] = await Promise.all([queue(conversation.id, body), queue(conversation.id, body)]);
    const c = await queue(conversation.id, body);
    expect(new Set([a.message.id, b.message.id, c.message.id]).size).toBe(1);
    expect([a.isNew, b.isNew, c.isNew].filter(Boolean)).toHaveLength(1);
    expect(await t.db.message.count({ where: { conversationId: conversation.id } })).toBe(1);
    expect(await t.db.outboxJob.count({ where: { jobId: `message.send-${a.message.id}` } })).toBe(1);
  });

  it("unknown conversation → not_found; private notes are stored without a send job", async () => {
    expect(await codeOf(queue(randomUUID(), { type: "text", text: "x", clientId: "n" }))).toBe("not_found");
    expect(await codeOf(queue("not-an-id", { type: "text", text: "x", clientId: "n" }))).toBe("not_found");
    const { conversation } = await seedOutbound(t.db, { lastInboundAt: null });
    const { message } = await queue(conversation.id, { type: "note", text: "intern", clientId: "note1" });
    expect(message).toMatchObject({ isPrivate: true, type: "note" });
    expect(await t.db.outboxJob.count({ where: { jobId: `message.send-${message.id}` } })).toBe(0);
    expect(deps.pokes.count).toBe(0);
  });

  it("private notes: read, checked and stored in one statement on either driver, with the access rule and clientId", async () => {
    const { conversation } = await seedOutbound(t.db);
    const team = await t.db.team.create({ data: { name: `Notes ${randomUUID()}` } });
    await t.db.conversation.update({ where: { id: conversation.id }, data: { teamId: team.id } });
    const outsider = { id: randomUUID(), role: "agent" as const, teamIds: [randomUUID()] };
    const member = { id: randomUUID(), role: "agent" as const, teamIds: [team.id] };
    for (const pgPool of [undefined, t.pgPool]) {
      const on = { ...deps, pgPool };
      const note = (access: typeof member, clientId: string, conversationId = conversation.id) =>
        queueOutboundMessage(on, {
          conversationId,
          body: { type: "note", text: "intern", clientId },
          senderId: null,
          access,
        });
      const key = `note-${pgPool ? "pg" : "prisma"}`;
      expect(await codeOf(note(outsider, key))).toBe("forbidden");
      expect(await codeOf(note(member, key, randomUUID()))).toBe("not_found");
      expect(await t.db.message.count({ where: { conversationId: conversation.id, clientId: key } })).toBe(0);
      const [a, b] = await Promise.all([note(member, key), note(member, key)]);
      const c = await note(member, key);
      expect(new Set([a.message.id, b.message.id, c.message.id]).size).toBe(1);
      expect([a.isNew, b.isNew, c.isNew].filter(Boolean)).toHaveLength(1);
      expect(a.message).toMatchObject({ type: "note", isPrivate: true, status: "sent", text: "intern", clientId: key });
      // An outsider learns nothing about a taken clientId either.
      expect(await codeOf(note(outsider, key))).toBe("forbidden");
    }
    const stored = await t.db.conversation.findUniqueOrThrow({ where: { id: conversation.id } });
    expect(stored.lastMessageAt).not.toBeNull();
    // A private note is no response to the customer.
    expect(stored.firstResponseAt).toBeNull();
    expect(await t.db.message.count({ where: { conversationId: conversation.id } })).toBe(2);
    expect(deps.pokes.count).toBe(0);
  });

  it("reports every new message to the consoles, replies and private notes alike, and a repeat not again", async () => {
    const { conversation } = await seedOutbound(t.db);
    const reply = await queue(conversation.id, { type: "text", text: "Gern!", clientId: "live-1" });
    const note = await queue(conversation.id, { type: "note", text: "Kunde ist VIP", clientId: "live-2" });
    await queue(conversation.id, { type: "text", text: "Gern!", clientId: "live-1" });
    // Announced from the stored rows (no read-back), with the scope the hubs filter by.
    expect(deps.live.changes).toMatchObject([
      { storedMessages: [{ row: { id: reply.message.id }, teamId: conversation.teamId }] },
      { storedMessages: [{ row: { id: note.message.id, isPrivate: true }, teamId: conversation.teamId }] },
    ]);
    expect(deps.live.changes).toHaveLength(2);
    // Only the reply has a job for the outbox relay.
    expect(deps.pokes.count).toBe(1);
  });
});

describe("queueOutboundMessage on a channel without a service window (web chat)", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  async function seedWebchat(lastInboundAt: Date) {
    const channel = await t.db.channel.create({
      data: {
        type: "webchat",
        name: "Website",
        externalId: randomUUID(),
        settings: { allowedOrigins: ["https://a.de"] },
      },
    });
    const contact = await t.db.contact.create({ data: { channelId: channel.id, externalId: randomUUID() } });
    const conversation = await t.db.conversation.create({
      data: { channelId: channel.id, contactId: contact.id, activeContactId: contact.id, lastInboundAt },
    });
    return { channel, contact, conversation };
  }

  it("answers days after the visitor's last message: stored as sent, no send job (delivered live)", async () => {
    const { conversation } = await seedWebchat(new Date(Date.now() - 72 * HOUR));
    const { message } = await queueOutboundMessage(queueDepsFor(t.db), {
      conversationId: conversation.id,
      body: { type: "text", text: "Gern!", clientId: "w1" },
      senderId: null,
    });
    expect(message.status).toBe("sent");
    expect(await t.db.outboxJob.count({ where: { jobId: `message.send-${message.id}` } })).toBe(0);
  });

  it("refuses templates (unsupported_by_channel) and text over the channel's limit (text_too_long)", async () => {
    const { conversation } = await seedWebchat(new Date());
    const template = queueOutboundMessage(queueDepsFor(t.db), {
      conversationId: conversation.id,
      body: { type: "template", template: { name: "order_update", language: "de", parameters: {} }, clientId: "w2" },
      senderId: null,
    });
    expect(await codeOf(template)).toBe("unsupported_by_channel");
    const long = queueOutboundMessage(queueDepsFor(t.db), {
      conversationId: conversation.id,
      body: { type: "text", text: "x".repeat(2001), clientId: "w3" },
      senderId: null,
    });
    expect(await codeOf(long)).toBe("text_too_long");
    expect(await t.db.message.count({ where: { conversationId: conversation.id } })).toBe(0);
  });

  it("still honours an opt-out on web chat (opted_out)", async () => {
    const { conversation, contact } = await seedWebchat(new Date());
    await recordConsent(t.db, contact.id, "service", "withdrawn");
    const queued = queueOutboundMessage(queueDepsFor(t.db), {
      conversationId: conversation.id,
      body: { type: "text", text: "Hallo", clientId: "w4" },
      senderId: null,
    });
    expect(await codeOf(queued)).toBe("opted_out");
  });
});
