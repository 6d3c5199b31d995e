import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createVisitorTokenSigner, VISITOR_TOKEN_TTL_MS } from "@inbox/core";
import type {
  ClickToChatDto,
  WebchatChannelDto,
  WebchatMessageDto,
  WebchatSessionDto,
  WhatsAppHandoffDto,
} from "@inbox/contracts";
import { signPayload } from "@inbox/whatsapp";
import { createTestApp, login, makeUser, type Agent, type TestApp } from "../test/test-app";
import { WEBCHAT_VISITOR_MESSAGE_LIMIT } from "./webchat";

const SHOP = "https://shop.example.de";
const EVIL = "https://evil.example.com";

describe("web chat: admin channels and the public visitor endpoints", () => {
  let t: TestApp;
  let admin: Agent;
  let channel: WebchatChannelDto;

  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: "POST", url, payload: payload as object, headers: { origin: SHOP, ...headers } });
  const startSession = async (body: object = {}) => {
    const res = await post(`/webchat/${channel.key}/sessions`, { language: "de", ...body });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<WebchatSessionDto>();
  };
  const consent = (token: string, wordingVersion: number) =>
    post(`/webchat/${channel.key}/consent`, { wordingVersion, language: "de" }, { authorization: `Bearer ${token}` });
  const write = (token: string, text: string, clientMessageId = randomUUID(), origin = SHOP) =>
    post(`/webchat/${channel.key}/messages`, { clientMessageId, text }, { authorization: `Bearer ${token}`, origin });

  beforeAll(async () => {
    t = await createTestApp({
      log: (await import("@inbox/logger")).createLogger({ name: "t", level: "error", pretty: false }),
    });
    await makeUser(t, "admin@example.de", "admin");
    await makeUser(t, "agent@example.de", "agent");
    admin = await login(t, "admin@example.de");
    const res = await t.app.inject({
      method: "POST",
      url: "/api/admin/webchat-channels",
      headers: admin.headers,
      payload: { name: "Website", settings: { allowedOrigins: [SHOP] } },
    });
    expect(res.statusCode, res.body).toBe(201);
    channel = res.json<WebchatChannelDto>();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("admins create channels with a snippet; agents may not; a path as origin is refused", async () => {
    expect(channel.snippet).toBe(
      `<script src="http://localhost:3000/widget.js" data-channel="${channel.key}" async></script>`,
    );
    expect(channel.settings.allowedOrigins).toEqual([SHOP]);
    const agent = await login(t, "agent@example.de");
    const forbidden = await t.app.inject({
      method: "POST",
      url: "/api/admin/webchat-channels",
      headers: agent.headers,
      payload: { name: "X", settings: { allowedOrigins: [SHOP] } },
    });
    expect(forbidden.statusCode).toBe(403);
    const bad = await t.app.inject({
      method: "POST",
      url: "/api/admin/webchat-channels",
      headers: admin.headers,
      payload: { name: "X", settings: { allowedOrigins: ["https://shop.example.de/kontakt"] } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: "validation_failed" });
    const list = await t.app.inject({ method: "GET", url: "/api/admin/webchat-channels", headers: admin.headers });
    expect(list.json<{ items: WebchatChannelDto[] }>().items.map((c) => c.key)).toEqual([channel.key]);
  });

  it("refuses foreign origins, missing origins and unknown channels (sessions, preflight, socket)", async () => {
    const foreign = await post(`/webchat/${channel.key}/sessions`, {}, { origin: EVIL });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json()).toMatchObject({ code: "origin_not_allowed" });
    // The refusal is readable by the widget on that page (so it can say why), and that is all it gets.
    expect(foreign.headers["access-control-allow-origin"]).toBe(EVIL);
    expect(foreign.json()).not.toHaveProperty("token");
    const none = await t.app.inject({ method: "POST", url: `/webchat/${channel.key}/sessions`, payload: {} });
    expect(none.json()).toMatchObject({ code: "origin_not_allowed" });
    expect((await post(`/webchat/nope/sessions`, {})).statusCode).toBe(404);

    const preflight = (origin: string) =>
      t.app.inject({
        method: "OPTIONS",
        url: `/webchat/${channel.key}/messages`,
        headers: { origin, "access-control-request-method": "POST" },
      });
    const ok = await preflight(SHOP);
    expect(ok.statusCode).toBe(204);
    expect(ok.headers["access-control-allow-origin"]).toBe(SHOP);
    expect(ok.headers["access-control-allow-headers"]).toContain("authorization");
    // A foreign page's preflight passes so its request can be refused readably (checked above).
    expect((await preflight(EVIL)).statusCode).toBe(204);
    expect(
      (await t.app.inject({ method: "OPTIONS", url: `/webchat/nope/sessions`, headers: { origin: SHOP } })).statusCode,
    ).toBe(404);

    const ws = await t.app.inject({ method: "GET", url: `/webchat/${channel.key}/ws`, headers: { origin: EVIL } });
    expect(ws.statusCode).toBe(403);
  });

  it("a visitor consents, writes, gets an agent's answer live, reads it; the thread survives a reload", async () => {
    const session = await startSession();
    expect(session.consent).toMatchObject({ hasConsent: false, wording: { language: "de", version: 1 } });
    expect(session.appearance.greeting).toBe("Hallo! Wie können wir helfen?");

    // Nothing before consent; an outdated wording version is refused.
    const early = await write(session.token, "Hallo?");
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: "consent_required" });
    expect(early.headers["access-control-allow-origin"]).toBe(SHOP);
    expect((await consent(session.token, 99)).json()).toMatchObject({ code: "consent_text_changed" });
    expect((await consent(session.token, session.consent.wording.version)).statusCode).toBe(201);

    const clientMessageId = randomUUID();
    const first = await write(session.token, "Wo ist meine Bestellung?", clientMessageId);
    expect(first.statusCode, first.body).toBe(201);
    const again = await write(session.token, "Wo ist meine Bestellung?", clientMessageId);
    expect(again.statusCode).toBe(200);
    expect(again.json<WebchatMessageDto>().id).toBe(first.json<WebchatMessageDto>().id);

    const stored = await t.deps.db.message.findMany({
      where: { channel: { type: "webchat" }, direction: "inbound" },
      include: { conversation: { include: { contact: { include: { consents: true } } } } },
    });
    expect(stored).toHaveLength(1);
    const conversation = stored[0]!.conversation;
    expect(conversation).toMatchObject({ status: "open", unreadCount: 1 });
    expect(conversation.contact.consents).toEqual([
      expect.objectContaining({
        purpose: "service",
        status: "granted",
        source: "widget",
        wordingVersion: 1,
        wordingText: expect.stringContaining("Ich bin einverstanden") as string,
        evidence: expect.objectContaining({ origin: SHOP, channel: "webchat" }) as object,
      }),
    ]);
    expect(await t.deps.db.outboxJob.count({ where: { jobId: `conversation.route-${conversation.id}` } })).toBe(1);

    // The visitor's socket: authenticate, then the agent's reply arrives live.
    const ws = await t.app.injectWS(`/webchat/${channel.key}/ws`, { headers: { origin: SHOP } });
    const frames: { type: string; message?: WebchatMessageDto }[] = [];
    ws.on("message", (data: Buffer) => frames.push(JSON.parse(data.toString()) as (typeof frames)[number]));
    ws.send(JSON.stringify({ type: "auth", token: session.token }));
    await vi.waitFor(() => expect(frames.some((f) => f.type === "ready")).toBe(true));

    const reply = await t.app.inject({
      method: "POST",
      url: `/api/conversations/${conversation.id}/messages`,
      headers: admin.headers,
      payload: { type: "text", text: "Sie ist unterwegs.", clientId: "a1" },
    });
    expect(reply.statusCode, reply.body).toBe(202);
    expect(reply.json()).toMatchObject({ status: "sent" });
    const note = await t.app.inject({
      method: "POST",
      url: `/api/conversations/${conversation.id}/messages`,
      headers: admin.headers,
      payload: { type: "note", text: "intern: Kunde ungeduldig", clientId: "n1" },
    });
    expect(note.statusCode).toBe(202);
    await vi.waitFor(() =>
      expect(frames.find((f) => f.type === "message")?.message).toMatchObject({
        direction: "outbound",
        text: "Sie ist unterwegs.",
      }),
    );

    // The agent types in the console: the visitor sees it.
    const consoleWs = await t.app.injectWS("/api/ws", { headers: { cookie: admin.cookie } });
    await new Promise<void>((resolve) => {
      consoleWs.once("message", () => resolve());
    });
    consoleWs.send(JSON.stringify({ type: "typing", conversationId: conversation.id }));
    await vi.waitFor(() => expect(frames.some((f) => f.type === "typing")).toBe(true));
    consoleWs.terminate();

    // Read state: the visitor saw it → the agent's message is read.
    ws.send(JSON.stringify({ type: "read" }));
    await vi.waitFor(async () =>
      expect(
        (await t.deps.db.message.findFirstOrThrow({ where: { conversationId: conversation.id, clientId: "a1" } }))
          .status,
      ).toBe("read"),
    );
    // The private note never reached the visitor.
    // (The reply arrives again as an update once read: the widget replaces messages by id.)
    const texts = new Set(frames.filter((f) => f.type === "message").map((f) => f.message!.text));
    expect([...texts]).toEqual(["Sie ist unterwegs."]);
    await vi.waitFor(() => expect(frames.filter((f) => f.type === "message").at(-1)!.message!.status).toBe("read"));
    ws.terminate();

    // A reload: the same token brings the thread back — without the private note.
    const resumed = await startSession({ token: session.token });
    expect(resumed.consent.hasConsent).toBe(true);
    expect(resumed.messages.map((m) => m.text)).toEqual(["Wo ist meine Bestellung?", "Sie ist unterwegs."]);
  });

  it("refuses an oversized message with a clear error and stores nothing", async () => {
    const session = await startSession();
    await consent(session.token, session.consent.wording.version);
    const res = await write(session.token, "x".repeat(2001));
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: "payload_too_large", maxLength: 2000 });
    expect(res.json<{ message: string }>().message).toContain("2000");
    const huge = await write(session.token, "x".repeat(200 * 1024));
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toMatchObject({ code: "payload_too_large" });
  });

  it("refuses forged, expired and other channels' tokens; another visitor's thread stays out of reach", async () => {
    const session = await startSession();
    const [payload, signature] = session.token.split(".");
    const tampered = `${payload}.${signature!.slice(0, -2)}AA`;
    const forgedPayload = `${Buffer.from(JSON.stringify({ v: 1, c: "x", s: randomUUID(), e: 9e9 })).toString("base64url")}.${signature}`;
    for (const token of [tampered, forgedPayload, "garbage", ""]) {
      const res = await write(token, "Hallo");
      expect(res.statusCode, token).toBe(401);
      expect(res.json()).toMatchObject({ code: "visitor_token_invalid" });
    }
    expect((await post(`/webchat/${channel.key}/sessions`, { token: tampered })).json()).toMatchObject({
      code: "visitor_token_invalid",
    });

    // Signed with the right key, but expired.
    const channelRow = await t.deps.db.channel.findFirstOrThrow({ where: { externalId: channel.key } });
    const signer = createVisitorTokenSigner(t.deps.env.SESSION_SECRET);
    const old = signer.sign(
      { channelId: channelRow.id, visitorId: randomUUID() },
      new Date(Date.now() - VISITOR_TOKEN_TTL_MS - 1000),
    );
    expect((await write(old.token, "Hallo")).json()).toMatchObject({ code: "visitor_token_invalid" });
    // Valid for another channel only.
    const other = signer.sign({ channelId: randomUUID(), visitorId: randomUUID() }, new Date());
    expect((await write(other.token, "Hallo")).json()).toMatchObject({ code: "visitor_token_invalid" });

    // The socket refuses a bad token and closes.
    const ws = await t.app.injectWS(`/webchat/${channel.key}/ws`, { headers: { origin: SHOP } });
    const frames: { type: string; code?: string }[] = [];
    let closedWith = 0;
    ws.on("message", (data: Buffer) => frames.push(JSON.parse(data.toString()) as (typeof frames)[number]));
    ws.on("close", (code: number) => (closedWith = code));
    ws.send(JSON.stringify({ type: "auth", token: tampered }));
    await vi.waitFor(() => expect(closedWith).toBe(4401));
    expect(frames).toEqual([expect.objectContaining({ type: "error", code: "visitor_token_invalid" })]);
  });

  it("serves the widget script for other origins' pages", async () => {
    const res = await t.app.inject({ method: "GET", url: "/widget.js" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("javascript");
    expect(res.headers["cross-origin-resource-policy"]).toBe("cross-origin");
    expect(res.body).toContain("/webchat/");
  });

  it("continue on WhatsApp: consent on the website, the first WhatsApp message with the reference links it", async () => {
    const db = t.deps.db;
    const whatsapp = await db.channel.create({
      data: {
        type: "whatsapp",
        name: "WhatsApp",
        externalId: t.deps.env.WHATSAPP_PHONE_NUMBER_ID!,
        displayNumber: "+49 30 1234567",
      },
    });
    const patched = await t.app.inject({
      method: "PATCH",
      url: `/api/admin/webchat-channels/${channel.id}`,
      headers: admin.headers,
      payload: { settings: { allowedOrigins: [SHOP], whatsappChannelId: whatsapp.id } },
    });
    expect(patched.statusCode, patched.body).toBe(200);

    const session = await startSession();
    expect(session.appearance.hasWhatsApp).toBe(true);
    const res = await post(
      `/webchat/${channel.key}/whatsapp`,
      { wordingVersion: session.consent.wording.version, language: "de" },
      { authorization: `Bearer ${session.token}` },
    );
    expect(res.statusCode, res.body).toBe(201);
    const handoff = res.json<WhatsAppHandoffDto>();
    expect(handoff.reference).toMatch(/^WC-[0-9A-Z]{8}$/);
    expect(handoff.url).toMatch(/^https:\/\/wa\.me\/49301234567\?text=/);
    const prefilled = new URL(handoff.url).searchParams.get("text")!;
    expect(prefilled).toContain(handoff.reference);
    expect(handoff.qrSvg).toMatch(/^<svg/);

    // The customer sends the prefilled text from WhatsApp (a signed Cloud API webhook).
    const deliver = async (waId: string, wamid: string, text: string) => {
      const body = JSON.stringify({
        object: "whatsapp_business_account",
        entry: [
          {
            id: "200000000000001",
            changes: [
              {
                field: "messages",
                value: {
                  messaging_product: "whatsapp",
                  metadata: { display_phone_number: "49301234567", phone_number_id: whatsapp.externalId },
                  contacts: [{ profile: { name: "Erika" }, wa_id: waId }],
                  messages: [
                    {
                      from: waId,
                      id: wamid,
                      timestamp: String(Math.floor(Date.now() / 1000)),
                      type: "text",
                      text: { body: text },
                    },
                  ],
                },
              },
            ],
          },
        ],
      });
      const hook = await t.app.inject({
        method: "POST",
        url: "/webhooks/whatsapp",
        payload: body,
        headers: {
          "content-type": "application/json",
          "x-hub-signature-256": signPayload(body, t.deps.env.WHATSAPP_APP_SECRET!),
        },
      });
      expect(hook.statusCode).toBe(200);
    };
    await deliver("4915112345678", "wamid.handoff-1", prefilled);
    const contact = await db.contact.findFirstOrThrow({
      where: { channelId: whatsapp.id, waId: "4915112345678" },
      include: { consents: true, conversations: true },
    });
    expect(contact.consents).toEqual([
      expect.objectContaining({
        purpose: "service",
        status: "granted",
        source: "widget",
        wordingVersion: session.consent.wording.version,
        wordingText: session.consent.wording.text,
        evidence: expect.objectContaining({
          handoffReference: handoff.reference,
          wamid: "wamid.handoff-1",
          origin: SHOP,
          channel: "click_to_chat",
        }) as object,
      }),
    ]);
    expect(await db.whatsAppHandoff.findUniqueOrThrow({ where: { reference: handoff.reference } })).toMatchObject({
      linkedContactId: contact.id,
      linkedConversationId: contact.conversations[0]!.id,
    });

    // Single use: someone else sending the same reference gets nothing.
    await deliver("4915199999999", "wamid.handoff-2", prefilled);
    const other = await db.contact.findFirstOrThrow({
      where: { channelId: whatsapp.id, waId: "4915199999999" },
      include: { consents: true },
    });
    expect(other.consents).toEqual([]);

    // Admins get the plain click-to-chat link and QR per number.
    const link = await t.app.inject({
      method: "GET",
      url: `/api/admin/channels/${whatsapp.id}/click-to-chat`,
      headers: admin.headers,
    });
    expect(link.json<ClickToChatDto>()).toMatchObject({ url: "https://wa.me/49301234567" });
    expect(link.json<ClickToChatDto>().qrSvg).toMatch(/^<svg/);
  });

  it("rate-limits a visitor's messages (429 rate_limited)", async () => {
    const session = await startSession();
    await consent(session.token, session.consent.wording.version);
    const codes: number[] = [];
    for (let i = 0; i <= WEBCHAT_VISITOR_MESSAGE_LIMIT; i++)
      codes.push((await write(session.token, `n${i}`)).statusCode);
    expect(codes.slice(0, WEBCHAT_VISITOR_MESSAGE_LIMIT).every((c) => c === 201)).toBe(true);
    const limited = await write(session.token, "one more");
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: "rate_limited" });
  });
});
