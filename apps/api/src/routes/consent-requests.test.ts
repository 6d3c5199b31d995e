/**
 * "Ask for consent", the per-conversation template picker and the automatic replies' texts, through the real app
 * (session login, CSRF) on a test database.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { createTestApp, login, makeUser, type Agent, type TestApp } from "../test/test-app";

const HOUR = 3600_000;

describe("consent request, conversation templates, automatic replies", () => {
  let t: TestApp;
  let agent: Agent;
  let admin: Agent;
  let channelId: string;
  let teamId: string;

  beforeAll(async () => {
    t = await createTestApp();
    await makeUser(t, "agent@example.com", "agent", ["Support"]);
    await makeUser(t, "admin@example.com", "admin");
    agent = await login(t, "agent@example.com");
    admin = await login(t, "admin@example.com");
    teamId = (await t.t.db.team.findUniqueOrThrow({ where: { name: "Support" } })).id;
    channelId = (
      await t.t.db.channel.create({ data: { type: "whatsapp", name: "WhatsApp", externalId: "100000000000009" } })
    ).id;
    await t.t.db.template.createMany({
      data: [
        { channelId, name: "order_update", language: "de", category: "utility", status: "APPROVED", components: [] },
        { channelId, name: "spring_sale", language: "de", category: "marketing", status: "APPROVED", components: [] },
        { channelId, name: "draft", language: "de", category: "marketing", status: "PENDING", components: [] },
      ],
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  let n = 0;
  async function conversation(opts: { waId: string; text: string; lastInboundAgoMs?: number }) {
    const at = new Date(Date.now() - (opts.lastInboundAgoMs ?? 60_000));
    const contact = await t.t.db.contact.create({ data: { channelId, waId: opts.waId, displayName: `K${n++}` } });
    const c = await t.t.db.conversation.create({
      data: {
        channelId,
        contactId: contact.id,
        activeContactId: contact.id,
        teamId,
        lastInboundAt: at,
        lastMessageAt: at,
      },
    });
    await t.t.db.message.create({
      data: {
        conversationId: c.id,
        channelId,
        direction: "inbound",
        type: "text",
        text: opts.text,
        status: "received",
        createdAt: at,
      },
    });
    return { id: c.id, contactId: contact.id };
  }
  const ask = (id: string, clientId = randomUUID()) =>
    t.app.inject({
      method: "POST",
      url: `/api/conversations/${id}/consent-request`,
      headers: agent.headers,
      payload: { clientId },
    });

  it("sends the question in the customer's language: German for a German text, English for an English one", async () => {
    const de = await conversation({
      waId: "4915112345001",
      text: "Guten Tag, ich hätte eine Frage zu meiner Rechnung.",
    });
    const res = await ask(de.id);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ language: "de", purpose: "marketing", status: "queued", type: "text" });
    expect(res.json().text).toMatch(/^Dürfen wir Ihnen über WhatsApp Angebote/);
    expect(res.json().text).not.toMatch(/May we/);

    const en = await conversation({ waId: "4915112345002", text: "Hello, I have a question about my invoice please." });
    const english = await ask(en.id);
    expect(english.json()).toMatchObject({ language: "en" });
    expect(english.json().text).toMatch(/^May we send you offers/);
    // Audited, without the text.
    const audit = await t.t.db.auditLog.findFirstOrThrow({ where: { action: "consent.requested", entityId: en.id } });
    expect(audit.data).toMatchObject({ purpose: "marketing", language: "en" });
  });

  it("one question per click: the same clientId is the same message", async () => {
    const c = await conversation({ waId: "4915112345003", text: "Hallo" });
    const clientId = randomUUID();
    const a = await ask(c.id, clientId);
    const b = await ask(c.id, clientId);
    expect(b.json().id).toBe(a.json().id);
    expect(await t.t.db.message.count({ where: { conversationId: c.id, direction: "outbound" } })).toBe(1);
  });

  it("refused when the window is closed, when consent is already there, and after STOP until the customer writes", async () => {
    const closed = await conversation({ waId: "4915112345004", text: "Hallo", lastInboundAgoMs: 25 * HOUR });
    expect((await ask(closed.id)).json()).toMatchObject({ code: "window_closed" });

    const granted = await conversation({ waId: "4915112345005", text: "Hallo" });
    await t.t.db.consent.create({
      data: { contactId: granted.contactId, purpose: "marketing", status: "granted", source: "agent" },
    });
    const conflict = await ask(granted.id);
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().code).toBe("conflict");

    const stopped = await conversation({ waId: "4915112345006", text: "STOP", lastInboundAgoMs: 10 * 60_000 });
    await t.t.db.consent.create({
      data: {
        contactId: stopped.contactId,
        purpose: "service",
        status: "withdrawn",
        source: "chat_keyword",
        occurredAt: new Date(Date.now() - 5 * 60_000),
      },
    });
    expect((await ask(stopped.id)).json()).toMatchObject({ code: "opted_out" });
    // The customer writes again: their own request opens the window for replies (and the question).
    await t.t.db.conversation.update({ where: { id: stopped.id }, data: { lastInboundAt: new Date() } });
    expect((await ask(stopped.id)).statusCode).toBe(202);
  });

  it("the picker says which templates the contact may receive and why not", async () => {
    const c = await conversation({ waId: "4915112345007", text: "Hallo", lastInboundAgoMs: 30 * HOUR });
    const list = async () =>
      (
        await t.app.inject({ method: "GET", url: `/api/conversations/${c.id}/templates`, headers: agent.headers })
      ).json().items as { name: string; isSendable: boolean; blockedBy: string | null; isBusinessInitiated: boolean }[];
    expect((await list()).map((x) => [x.name, x.isSendable, x.blockedBy])).toEqual([
      ["order_update", false, "consent_missing"],
      ["spring_sale", false, "consent_missing"],
    ]);
    await t.t.db.consent.create({
      data: { contactId: c.contactId, purpose: "marketing", status: "granted", source: "agent" },
    });
    expect((await list()).find((x) => x.name === "spring_sale")).toMatchObject({
      isSendable: true,
      isBusinessInitiated: true,
    });
    await t.t.db.consent.create({
      data: { contactId: c.contactId, purpose: "marketing", status: "withdrawn", source: "whatsapp" },
    });
    expect((await list()).find((x) => x.name === "spring_sale")).toMatchObject({
      isSendable: false,
      blockedBy: "opted_out",
    });

    const other = await t.app.inject({ method: "GET", url: `/api/conversations/${c.id}/templates` });
    expect(other.statusCode).toBe(401);
  });

  it("admins edit the automatic replies; a changed question is a new wording version, and agents may not", async () => {
    const current = (
      await t.app.inject({ method: "GET", url: "/api/admin/auto-replies", headers: admin.headers })
    ).json();
    expect(current).toMatchObject({ defaultLanguage: "de", greeting: null, optInPurpose: "marketing" });
    expect(current.optOutConfirmation.de).toMatch(/keine Nachrichten mehr/);
    expect(current.optOutConfirmation.en).not.toMatch(/keine/);
    const saved = await t.app.inject({
      method: "PUT",
      url: "/api/admin/auto-replies",
      headers: admin.headers,
      payload: {
        ...current,
        greeting: { de: "Hallo!", en: "Hello!" },
        consentQuestions: {
          ...current.consentQuestions,
          marketing: { ...current.consentQuestions.marketing, de: "Newsletter? JA oder STOP." },
        },
      },
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({
      greeting: { de: "Hallo!" },
      consentQuestions: { marketing: { de: "Newsletter? JA oder STOP." } },
    });
    expect(
      await t.t.db.consentText.findMany({ where: { purpose: "marketing" }, select: { language: true, version: true } }),
    ).toEqual([{ language: "de", version: 1 }]);
    const c = await conversation({ waId: "4915112345008", text: "Hallo" });
    expect((await ask(c.id)).json()).toMatchObject({
      text: "Newsletter? JA oder STOP.",
      payload: { wordingVersion: 1 },
    });

    const forbidden = await t.app.inject({
      method: "PUT",
      url: "/api/admin/auto-replies",
      headers: agent.headers,
      payload: current,
    });
    expect(forbidden.statusCode).toBe(403);
  });
});
