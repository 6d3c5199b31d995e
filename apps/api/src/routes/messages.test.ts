/**
 * POST /api/conversations/:id/messages end to end: api → Postgres/outbox → Redis/BullMQ → worker → simulator
 * (loopback) → signed status webhook → api receiver. Session login is the auth plugin's business (tested there);
 * this app decorates `authenticate` with a stand-in that reads the user from a test header, so the routes are
 * tested on what they rely on: `app.authenticate` setting `request.user = {id, role, teamIds}`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { parseEnv } from "@inbox/config";
import { createTestDatabase, createTestRedisPrefix, TEST_REDIS_URL, type TestDatabase } from "@inbox/db/testing";
import { createRedis, JobQueues } from "@inbox/jobs";
import { createLogger } from "@inbox/logger";
import { startWorker, type RunningWorker } from "@inbox/worker";
import { NO_RECEIVER, startTestSimulator, type TestSimulator } from "@inbox/simulator/testing";
import { createApiServices } from "../services";
import type { ApiDeps, App } from "../types";
import { asUser, createRouteTestApp } from "../test/route-app";
import { messageRoutes } from "./messages";
import { webhookRoutes } from "./webhooks";

const PHONE_NUMBER_ID = "100000000000001";
const WABA_ID = "200000000000001";
const TOKEN = "route-test-token";
const APP_SECRET = "route-test-app-secret";
const log = createLogger({ name: "test", level: process.env.TEST_LOG ?? "silent", pretty: false });

describe("POST /api/conversations/:id/messages", () => {
  let t: TestDatabase;
  let app: App;
  let sim: TestSimulator;
  let worker: RunningWorker;
  let deps: ApiDeps;
  const redis = createRedis(TEST_REDIS_URL);
  const queues = new JobQueues(redis, createTestRedisPrefix());
  let channelId: string;
  let teamId: string;
  const agent = { id: randomUUID(), role: "agent" as const, teamIds: [] as string[] };
  const admin = { id: randomUUID(), role: "admin" as const, teamIds: [] as string[] };

  beforeAll(async () => {
    t = await createTestDatabase();
    sim = await startTestSimulator(NO_RECEIVER, {
      accessToken: TOKEN,
      appSecret: APP_SECRET,
      phoneNumberId: PHONE_NUMBER_ID,
      wabaId: WABA_ID,
      displayNumber: "+49 30 1234567",
      statusStepMs: 50,
      log,
    });
    const env = parseEnv({
      LOG_LEVEL: "silent",
      ...sim.productEnv,
    });
    const infra = { env, db: t.db, pgPool: t.pgPool, redis, queues, log, clock: () => new Date(), consoleDir: null };
    deps = { ...infra, ...(await createApiServices(infra)) };
    app = createRouteTestApp(log);
    await app.register(webhookRoutes(deps));
    await app.register(messageRoutes(deps));
    await app.listen({ port: 0, host: "127.0.0.1" });
    await sim.app.inject({
      method: "POST",
      url: "/_control/config",
      payload: { webhookUrl: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/webhooks/whatsapp` },
    });

    for (const u of [agent, admin]) {
      await t.db.user.create({
        data: { id: u.id, email: `${u.role}@example.test`, name: u.role, passwordHash: "x", role: u.role },
      });
    }
    const team = await t.db.team.create({ data: { name: "Support" } });
    teamId = team.id;
    agent.teamIds = [team.id];
    const channel = await t.db.channel.create({
      data: {
        type: "whatsapp",
        name: "WhatsApp",
        externalId: PHONE_NUMBER_ID,
        accountId: WABA_ID,
        defaultTeamId: team.id,
      },
    });
    channelId = channel.id;
    worker = await startWorker(infra, { scheduleTemplateSync: false });
  });
  afterAll(async () => {
    await worker.close();
    await app.close();
    await deps.close();
    await sim.close();
    await queues.close();
    redis.disconnect();
    await t.drop();
  });

  let n = 0;
  async function conversation(opts: { lastInboundAt?: Date | null; teamId?: string | null } = {}) {
    n++;
    const contact = await t.db.contact.create({ data: { channelId, waId: `4917000${String(n).padStart(5, "0")}` } });
    return t.db.conversation.create({
      data: {
        channelId,
        contactId: contact.id,
        activeContactId: contact.id,
        teamId: opts.teamId === undefined ? teamId : opts.teamId,
        lastInboundAt: opts.lastInboundAt === undefined ? new Date() : opts.lastInboundAt,
      },
    });
  }
  const post = (conversationId: string, payload: object, user: object | null = agent) =>
    app.inject({
      method: "POST",
      url: `/api/conversations/${conversationId}/messages`,
      payload,
      headers: asUser(user),
    });

  it("202 with the stored message; it reaches the simulator and the status webhook moves it on", async () => {
    const c = await conversation();
    const res = await post(c.id, { type: "text", text: "Guten Tag!", clientId: "k1" });
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body).toMatchObject({
      status: "queued",
      direction: "outbound",
      type: "text",
      text: "Guten Tag!",
      clientId: "k1",
      externalId: null,
    });
    await expect
      .poll(async () => (await t.db.message.findUniqueOrThrow({ where: { id: body.id } })).status, {
        timeout: 15_000,
        interval: 100,
      })
      .toMatch(/^(delivered|read)$/);
    const stored = await t.db.message.findUniqueOrThrow({ where: { id: body.id } });
    expect(stored.externalId).toMatch(/^wamid\./);
  });

  it("the same clientId answers 202 with the same message and sends once", async () => {
    const c = await conversation();
    const a = await post(c.id, { type: "text", text: "Nur einmal", clientId: "dup" });
    const b = await post(c.id, { type: "text", text: "Nur einmal", clientId: "dup" });
    expect(a.statusCode).toBe(202);
    expect(b.statusCode).toBe(202);
    expect(b.json().id).toBe(a.json().id);
    await expect
      .poll(async () => (await t.db.message.findUniqueOrThrow({ where: { id: a.json().id } })).externalId, {
        timeout: 15_000,
      })
      .toBeTruthy();
    const wamids = [...sim.sim.outbound.keys()];
    const mine = await t.db.message.findMany({ where: { conversationId: c.id } });
    expect(mine).toHaveLength(1);
    expect(wamids.filter((w) => w === mine[0]!.externalId)).toHaveLength(1);
  });

  it("409 window_closed / consent_missing / opted_out with code and message", async () => {
    const closed = await conversation({ lastInboundAt: new Date(Date.now() - 25 * 3600_000) });
    const r1 = await post(closed.id, { type: "text", text: "Hallo", clientId: "w1" });
    expect(r1.statusCode).toBe(409);
    expect(r1.json()).toEqual({ code: "window_closed", message: expect.any(String) });

    const r2 = await post(closed.id, {
      type: "template",
      clientId: "w2",
      template: { name: "spring_sale", language: "de", parameters: { "1": "Erika", "2": "Sonntag" } },
    });
    // Templates are synced on demand; none known yet → template_not_found.
    expect(r2.statusCode).toBe(409);
    expect(r2.json().code).toBe("template_not_found");

    await t.db.template.create({
      data: {
        channelId,
        name: "spring_sale",
        language: "de",
        category: "marketing",
        status: "APPROVED",
        parameterCount: 2,
        components: [],
      },
    });
    const r3 = await post(closed.id, {
      type: "template",
      clientId: "w3",
      template: { name: "spring_sale", language: "de", parameters: { "1": "Erika", "2": "Sonntag" } },
    });
    expect(r3.statusCode).toBe(409);
    expect(r3.json()).toEqual({ code: "consent_missing", message: expect.any(String) });

    await t.db.consent.create({
      data: { contactId: closed.contactId, purpose: "service", status: "withdrawn", source: "chat_keyword" },
    });
    const r4 = await post(closed.id, { type: "text", text: "Hallo", clientId: "w4" });
    expect(r4.statusCode).toBe(409);
    expect(r4.json()).toEqual({ code: "opted_out", message: expect.any(String) });
  });

  it('after "STOP" even a reply is refused (opted_out) until the customer writes again; business-initiated stays refused; "START" lifts it', async () => {
    const customer = (text: string) =>
      sim.app.inject({
        method: "POST",
        url: "/_customer/messages",
        payload: { phone: "4917099000001", name: "Stopp", type: "text", text },
      });
    expect((await customer("Hallo, eine Frage")).statusCode).toBe(200);
    const c = await expect
      .poll(() => t.db.conversation.findFirst({ where: { contact: { waId: "4917099000001" } } }), {
        timeout: 10_000,
        interval: 50,
      })
      .toBeTruthy()
      .then(() => t.db.conversation.findFirstOrThrow({ where: { contact: { waId: "4917099000001" } } }));
    expect((await post(c.id, { type: "text", text: "Gern!", clientId: randomUUID() })).statusCode).toBe(202);

    await customer("STOP");
    await expect
      .poll(() => t.db.consent.count({ where: { contactId: c.contactId, status: "withdrawn" } }), {
        timeout: 10_000,
        interval: 50,
      })
      .toBe(2);
    const refused = await post(c.id, { type: "text", text: "Noch eine Sache", clientId: randomUUID() });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toEqual({ code: "opted_out", message: expect.any(String) });
    // The opt-out confirmation is the one message that still goes out.
    await expect
      .poll(
        () =>
          t.db.message.count({
            where: {
              conversationId: c.id,
              direction: "outbound",
              text: { startsWith: "Sie erhalten keine Nachrichten mehr" },
            },
          }),
        { timeout: 10_000 },
      )
      .toBe(1);
    expect(await t.db.message.count({ where: { conversationId: c.id, text: "Noch eine Sache" } })).toBe(0);

    // A new message after STOP is the customer's own request: a reply inside its window goes out...
    // (WhatsApp stamps messages in whole seconds: one in the same second as the STOP cannot be told from it, and the
    // product stays on the safe side — still opted out. The customer writes a second later, as people do.)
    await sim.app.inject({ method: "POST", url: "/_control/clock", payload: { advanceMs: 1_000 } });
    await customer("Wo bleibt eigentlich meine Rückerstattung?");
    await expect
      .poll(() => t.db.message.count({ where: { conversationId: c.id, direction: "inbound" } }), { timeout: 10_000 })
      .toBe(3);
    const reply = await post(c.id, { type: "text", text: "Die ist unterwegs.", clientId: randomUUID() });
    expect(reply.statusCode).toBe(202);
    // ...but once its window has closed, business-initiated messages stay refused until a new opt-in.
    await t.db.conversation.update({
      where: { id: c.id },
      data: { lastInboundAt: new Date(Date.now() - 25 * 3600_000) },
    });
    const late = await post(c.id, {
      type: "template",
      clientId: randomUUID(),
      template: {
        name: "order_update",
        language: "de",
        parameters: { "1": "a", "2": "b", "3": "c" },
        headerMedia: { link: "https://cdn.example.com/p.png" },
      },
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe("opted_out");

    await customer("START");
    await expect
      .poll(() => t.db.consent.count({ where: { contactId: c.contactId, status: "granted", purpose: "service" } }), {
        timeout: 10_000,
        interval: 50,
      })
      .toBe(1);
    expect((await post(c.id, { type: "text", text: "Willkommen zurück", clientId: randomUUID() })).statusCode).toBe(
      202,
    );
  });

  it("404 for an unknown conversation, 403 without access, 401 without a user, 400 for a bad body", async () => {
    expect((await post(randomUUID(), { type: "text", text: "x", clientId: "a" })).statusCode).toBe(404);
    expect((await post("not-a-uuid", { type: "text", text: "x", clientId: "a" })).statusCode).toBe(404);
    const other = await conversation({ teamId: null });
    const forbidden = await post(other.id, { type: "text", text: "x", clientId: "a" });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().code).toBe("forbidden");
    expect((await post(other.id, { type: "text", text: "x", clientId: "a" }, admin)).statusCode).toBe(202);
    expect((await post(other.id, { type: "text", text: "x", clientId: "b" }, null)).statusCode).toBe(401);
    expect((await post(other.id, { type: "text", clientId: "c" })).statusCode).toBe(400);
  });

  it("POST /api/templates/sync (admins) fills GET /api/templates from the WABA", async () => {
    const denied = await app.inject({
      method: "POST",
      url: "/api/templates/sync",
      payload: {},
      headers: asUser(agent),
    });
    expect(denied.statusCode).toBe(403);
    const res = await app.inject({ method: "POST", url: "/api/templates/sync", payload: {}, headers: asUser(admin) });
    expect(res.statusCode).toBe(202);
    expect(res.json().channelIds).toEqual([channelId]);
    await expect
      .poll(
        async () => {
          const list = await app.inject({ method: "GET", url: "/api/templates", headers: asUser(agent) });
          const items = list.json<{ items: { name: string; language: string }[] }>().items;
          return items.map((i) => `${i.name}/${i.language}`);
        },
        { timeout: 15_000, interval: 200 },
      )
      .toEqual(expect.arrayContaining(["login_code/de", "order_update/en", "spring_sale/de"]));
  });
  it("sends every template component in Meta's wire format: image header by link, positional and named body, URL button", async () => {
    // Templates synced by the test above.
    await expect.poll(() => t.db.template.count({ where: { name: "order_shipped" } }), { timeout: 15_000 }).toBe(2);
    const c = await conversation();
    const image = { link: "https://cdn.example.com/parcel.png" };
    const positional = await post(c.id, {
      type: "template",
      clientId: randomUUID(),
      template: {
        name: "order_update",
        language: "de",
        parameters: { "1": "Erika", "2": "4711", "3": "Freitag" },
        headerMedia: image,
      },
    });
    expect(positional.statusCode).toBe(202);
    const named = await post(c.id, {
      type: "template",
      clientId: randomUUID(),
      template: {
        name: "order_shipped",
        language: "de",
        parameters: { customer_name: "Erika", order_id: "4711" },
        headerMedia: image,
        buttonParameters: { "0": "4711", "1": "delivery-question" },
      },
    });
    expect(named.statusCode).toBe(202);
    expect(named.json().text).toBe("Hallo Erika, Ihre Bestellung 4711 wurde verschickt.");
    for (const id of [positional.json().id as string, named.json().id as string]) {
      await expect
        .poll(async () => (await t.db.message.findUniqueOrThrow({ where: { id } })).status, { timeout: 15_000 })
        .toMatch(/^(delivered|read)$/);
    }
    const sent = await t.db.message.findUniqueOrThrow({ where: { id: named.json().id as string } });
    const phone = [...sim.sim.chats.values()].flat().find((e) => e.wamid === sent.externalId);
    expect(phone?.text).toBe("[image]\nHallo Erika, Ihre Bestellung 4711 wurde verschickt.");
    expect((sent.payload as { template: { components: unknown } }).template.components).toEqual([
      { type: "header", parameters: [{ type: "image", image }] },
      {
        type: "body",
        parameters: [
          { type: "text", parameter_name: "customer_name", text: "Erika" },
          { type: "text", parameter_name: "order_id", text: "4711" },
        ],
      },
      { type: "button", sub_type: "url", index: "0", parameters: [{ type: "text", text: "4711" }] },
      {
        type: "button",
        sub_type: "quick_reply",
        index: "1",
        parameters: [{ type: "payload", payload: "delivery-question" }],
      },
    ]);
  });

  it("400 template_parameters_invalid names each problem; nothing is stored", async () => {
    const c = await conversation();
    const res = await post(c.id, {
      type: "template",
      clientId: randomUUID(),
      template: { name: "order_shipped", language: "de", parameters: { "1": "Erika" } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: "template_parameters_invalid",
      problems: expect.arrayContaining([
        { field: "body.customer_name", code: "missing" },
        { field: "body.1", code: "unexpected" },
        { field: "header.media", code: "media_required" },
        { field: "button.0", code: "missing" },
      ]),
    });
    const http = await post(c.id, {
      type: "template",
      clientId: randomUUID(),
      template: {
        name: "order_update",
        language: "de",
        parameters: { "1": "a", "2": "b", "3": "c" },
        headerMedia: { link: "http://insecure.example/p.png" },
      },
    });
    expect(http.json()).toMatchObject({ problems: [{ field: "header.media", code: "invalid_link" }] });
    expect(await t.db.message.count({ where: { conversationId: c.id } })).toBe(0);
  });

  it("sends a location header and currency / date_time variables; a bad pin or currency is refused field by field", async () => {
    await expect.poll(() => t.db.template.count({ where: { name: "pickup_ready" } }), { timeout: 15_000 }).toBe(2);
    const c = await conversation();
    const place = { latitude: "52,520008", longitude: "13.404954", name: "Filiale Mitte", address: "Alexanderplatz 1" };
    const pickup = (template: object) =>
      post(c.id, {
        type: "template",
        clientId: randomUUID(),
        template: {
          name: "pickup_ready",
          language: "de",
          parameters: { "1": "Erika", "2": "12,50 €", "3": "3. Dezember 2026" },
          typedParameters: { "2": { type: "currency", code: "EUR", amount1000: 12500 }, "3": { type: "date_time" } },
          headerLocation: place,
          ...template,
        },
      });
    const res = await pickup({});
    expect(res.statusCode).toBe(202);
    expect(res.json().text).toBe(
      "Hallo Erika, Ihre Bestellung über 12,50 € liegt ab 3. Dezember 2026 hier zur Abholung bereit.",
    );
    const id = res.json().id as string;
    await expect
      .poll(async () => (await t.db.message.findUniqueOrThrow({ where: { id } })).status, { timeout: 15_000 })
      .toMatch(/^(delivered|read)$/);
    const sent = await t.db.message.findUniqueOrThrow({ where: { id } });
    expect((sent.payload as { template: { components: unknown } }).template.components).toEqual([
      {
        type: "header",
        parameters: [
          {
            type: "location",
            location: {
              latitude: "52.520008",
              longitude: "13.404954",
              name: "Filiale Mitte",
              address: "Alexanderplatz 1",
            },
          },
        ],
      },
      {
        type: "body",
        parameters: [
          { type: "text", text: "Erika" },
          { type: "currency", currency: { fallback_value: "12,50 €", code: "EUR", amount_1000: 12500 } },
          { type: "date_time", date_time: { fallback_value: "3. Dezember 2026" } },
        ],
      },
    ]);
    const phone = [...sim.sim.chats.values()].flat().find((e) => e.wamid === sent.externalId);
    expect(phone?.text).toContain("📍 Filiale Mitte, Alexanderplatz 1");

    const before = await t.db.message.count({ where: { conversationId: c.id } });
    const badPin = await pickup({ headerLocation: { ...place, latitude: "123", address: "" } });
    expect(badPin.statusCode).toBe(400);
    expect(badPin.json()).toMatchObject({
      code: "template_parameters_invalid",
      problems: [
        { field: "header.location.latitude", code: "out_of_range" },
        { field: "header.location.address", code: "missing" },
      ],
    });
    const noPin = await pickup({ headerLocation: undefined });
    expect(noPin.json().problems).toContainEqual({ field: "header.location.latitude", code: "missing" });
    const badCurrency = await pickup({
      typedParameters: { "2": { type: "currency", code: "EURO", amount1000: 12.5 } },
    });
    expect(badCurrency.statusCode).toBe(400);
    expect(badCurrency.json()).toMatchObject({
      code: "template_parameters_invalid",
      problems: [
        { field: "body.2.currency", code: "invalid_currency" },
        { field: "body.2.amount", code: "invalid_amount" },
      ],
    });
    const noFallback = await pickup({ parameters: { "1": "Erika", "2": "", "3": "3. Dezember 2026" } });
    expect(noFallback.json().problems).toEqual([{ field: "body.2", code: "missing" }]);
    expect(await t.db.message.count({ where: { conversationId: c.id } })).toBe(before);
  });

  it("400 text_too_long (not a raw schema message) above Meta's 4096 characters", async () => {
    const c = await conversation();
    const res = await post(c.id, { type: "text", text: "x".repeat(5200), clientId: randomUUID() });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      code: "text_too_long",
      message: expect.stringContaining("4096"),
      maxLength: 4096,
      length: 5200,
    });
    expect((await post(c.id, { type: "text", text: "x".repeat(4096), clientId: randomUUID() })).statusCode).toBe(202);
  });
  it("GET /api/conversations/:id/templates says which templates may go to the contact and why not", async () => {
    const c = await conversation({ lastInboundAt: new Date(Date.now() - 30 * 3600_000) });
    const list = async () => {
      const res = await app.inject({
        method: "GET",
        url: `/api/conversations/${c.id}/templates`,
        headers: asUser(agent),
      });
      expect(res.statusCode).toBe(200);
      const items = res.json<{ items: { name: string; language: string; blockedBy: string | null }[] }>().items;
      return Object.fromEntries(items.map((i) => [`${i.name}/${i.language}`, i.blockedBy]));
    };
    const none = await list();
    expect(none).toMatchObject({
      "order_update/de": "consent_missing",
      "spring_sale/de": "consent_missing",
      "winter_promo/de": "template_not_approved",
      "new_feature/en": "template_not_approved",
    });
    await t.db.consent.create({
      data: { contactId: c.contactId, purpose: "service", status: "granted", source: "agent" },
    });
    expect(await list()).toMatchObject({
      "order_update/de": null,
      "login_code/de": null,
      "spring_sale/de": "consent_missing",
      "winter_promo/de": "template_not_approved",
    });
    // The same rule refuses the send.
    const refused = await post(c.id, {
      type: "template",
      clientId: randomUUID(),
      template: { name: "spring_sale", language: "de", parameters: { "1": "a", "2": "b" } },
    });
    expect(refused.json().code).toBe("consent_missing");
    await t.db.consent.create({
      data: { contactId: c.contactId, purpose: "service", status: "withdrawn", source: "chat_keyword" },
    });
    expect(await list()).toMatchObject({ "order_update/de": "opted_out", "spring_sale/de": "opted_out" });

    const other = await conversation({ teamId: null });
    const forbidden = await app.inject({
      method: "GET",
      url: `/api/conversations/${other.id}/templates`,
      headers: asUser(agent),
    });
    expect(forbidden.statusCode).toBe(403);
  });

  it("POST /api/conversations/:id/consent-request sends the configured question in the customer's language; JA records consent", async () => {
    await t.db.consentText.create({
      data: { purpose: "marketing", language: "de", version: 7, text: "Dürfen wir Ihnen Angebote schicken?" },
    });
    const ask = (conversationId: string, clientId: string) =>
      app.inject({
        method: "POST",
        url: `/api/conversations/${conversationId}/consent-request`,
        payload: { clientId },
        headers: asUser(agent),
      });
    const phone = "4917099000042";
    await sim.app.inject({
      method: "POST",
      url: "/_customer/messages",
      payload: { phone, name: "Frage", type: "text", text: "Hallo, ich habe eine Frage" },
    });
    await expect
      .poll(() => t.db.conversation.count({ where: { contact: { waId: phone } } }), { timeout: 10_000 })
      .toBe(1);
    const c = await t.db.conversation.findFirstOrThrow({ where: { contact: { waId: phone } } });
    const res = await ask(c.id, "ask-1");
    expect(res.statusCode).toBe(202);
    expect(res.json().text).toBe("Dürfen wir Ihnen Angebote schicken?\n\nAntworten Sie mit JA, um zuzustimmen.");
    expect((await ask(c.id, "ask-1")).json().id).toBe(res.json().id);

    // An English customer (UK number) gets the default English question.
    const uk = await conversation();
    await t.db.contact.update({ where: { id: uk.contactId }, data: { waId: "447700900123" } });
    const english = await ask(uk.id, "ask-2");
    expect(english.json().text).toMatch(
      /^May we also send you offers and news here on WhatsApp\?.*\n\nReply YES to agree\.$/s,
    );

    await sim.app.inject({ method: "POST", url: "/_customer/messages", payload: { phone, type: "text", text: "JA" } });
    await expect
      .poll(
        () =>
          t.db.consent.findMany({ where: { contactId: c.contactId, status: "granted" }, orderBy: { purpose: "asc" } }),
        { timeout: 10_000 },
      )
      .toMatchObject([
        { purpose: "service", source: "chat_keyword" },
        { purpose: "marketing", source: "chat_keyword", wordingVersion: 7 },
      ]);

    // Window closed: no question can be asked (it is a free-form message).
    const closed = await conversation({ lastInboundAt: new Date(Date.now() - 25 * 3600_000) });
    const refused = await ask(closed.id, "ask-3");
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe("window_closed");
    // Another team's conversation: 403, nothing sent.
    const other = await conversation({ teamId: null });
    expect((await ask(other.id, "ask-4")).statusCode).toBe(403);
    expect(await t.db.message.count({ where: { conversationId: other.id } })).toBe(0);
  });
});
