/* eslint-disable @typescript-eslint/no-explicit-any -- tests edit Meta's raw JSON examples */
/** conversation.route on real Postgres: stored deliveries (the webhook's write path) routed by the admin's rules. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "@inbox/config";
import { applyWhatsAppDelivery, ChannelDirectory, replaceRoutingRules } from "@inbox/core";
import { createTestDatabase, createTestRedisPrefix, TEST_REDIS_URL, type TestDatabase } from "@inbox/db/testing";
import { createRedis, JOB_SCHEMAS, JobQueues } from "@inbox/jobs";
import { createLogger } from "@inbox/logger";
import { parseWebhookDelivery } from "@inbox/whatsapp";
import * as fx from "@inbox/whatsapp/fixtures";
import type { JobContext, WorkerDeps, WorkerInfra } from "../context";
import { createWorkerServices } from "../services";
import { handleConversationRoute } from "./conversation-route";

/** These handlers never defer their job. */
const noDefer = (): Promise<never> => Promise.reject(new Error("not deferred"));

const log = createLogger({ name: "test", level: "silent", pretty: false });
let t: TestDatabase;
let deps: WorkerDeps;
const redis = createRedis(TEST_REDIS_URL);
let seq = 0;
let phone = 4915100000000;
const ctx = (): JobContext => ({ deps, log, attemptsMade: 0, maxAttempts: 3, startedCount: 1, defer: noDefer });
const teams: Record<string, string> = {};

/** Stores a delivery from a new customer as the webhook does and returns its conversation id. */
async function deliver(fixture: unknown, mutate: (m: any) => void = () => undefined, from = String(++phone)) {
  const p = JSON.parse(JSON.stringify(fixture));
  const v = p.entry[0].changes[0].value;
  v.messages[0].id = `wamid.route-${++seq}`;
  v.messages[0].from = from;
  v.contacts[0].wa_id = from;
  v.messages[0].timestamp = String(Math.floor(Date.now() / 1000));
  mutate(v.messages[0]);
  const parsed = parseWebhookDelivery(p);
  if (!parsed.ok) throw new Error(parsed.issues.join());
  const r = await applyWhatsAppDelivery({ db: t.db, channels: new ChannelDirectory(0) }, parsed.delivery);
  return r.conversationIds[0]!;
}
/** Stores ONE delivery holding a text from each new customer (one call of the write path); their conversations' ids. */
async function deliverTogether(texts: { body: string; from: string }[]) {
  const p = JSON.parse(JSON.stringify(fx.TEXT_MESSAGE_WEBHOOK));
  const v = p.entry[0].changes[0].value;
  const [message, contact] = [v.messages[0] as object, v.contacts[0] as object];
  v.messages = texts.map(({ body, from }) => ({
    ...message,
    id: `wamid.route-${++seq}`,
    from,
    timestamp: String(Math.floor(Date.now() / 1000)),
    text: { body },
  }));
  v.contacts = texts.map(({ from }) => ({ ...contact, wa_id: from }));
  const parsed = parseWebhookDelivery(p);
  if (!parsed.ok) throw new Error(parsed.issues.join());
  await applyWhatsAppDelivery({ db: t.db, channels: new ChannelDirectory(0) }, parsed.delivery);
  return Promise.all(
    texts.map(
      async ({ from }) => (await t.db.conversation.findFirstOrThrow({ where: { contact: { waId: from } } })).id,
    ),
  );
}
/** The route jobs in the outbox that carry the conversation, parsed as the worker parses them. */
const routeJobsOf = async (conversationId: string) =>
  (
    await t.db.outboxJob.findMany({
      where: { name: "conversation.route", payload: { path: ["conversationIds"], array_contains: [conversationId] } },
    })
  ).map((row) => JOB_SCHEMAS["conversation.route"].parse(row.payload));
const teamOf = async (id: string) => (await t.db.conversation.findUniqueOrThrow({ where: { id } })).teamId;

beforeAll(async () => {
  t = await createTestDatabase();
  for (const name of ["Support", "Billing", "Sales", "English"]) {
    teams[name] = (await t.db.team.create({ data: { name } })).id;
  }
  await t.db.channel.create({
    data: {
      type: "whatsapp",
      name: "WA",
      externalId: fx.META_METADATA.phone_number_id,
      defaultTeamId: teams.Support!,
    },
  });
  const infra: WorkerInfra = {
    env: parseEnv({ LOG_LEVEL: "silent" }),
    db: t.db,
    pgPool: t.pgPool,
    redis,
    queues: new JobQueues(redis, createTestRedisPrefix()),
    log,
    clock: () => new Date(),
  };
  deps = { ...infra, ...createWorkerServices(infra) };
  await replaceRoutingRules(t.db, { type: "system" }, [
    { name: "Invoices", isActive: true, conditions: { keywords: ["rechnung"] }, teamId: teams.Billing! },
    { name: "Sales button", isActive: true, conditions: { replyIds: ["cancel-button"] }, teamId: teams.Sales! },
    { name: "English", isActive: true, conditions: { languages: ["en"] }, teamId: teams.English! },
  ]);
});
afterAll(async () => {
  await deps.close();
  await deps.queues.close();
  redis.disconnect();
  await t.drop();
});

describe("conversation.route: which team", () => {
  it("sends a new conversation to the first matching rule's team, else to the channel's default team", async () => {
    const invoice = await deliver(fx.TEXT_MESSAGE_WEBHOOK, (m) => (m.text.body = "Frage zu meiner RECHNUNG"));
    const plain = await deliver(fx.TEXT_MESSAGE_WEBHOOK, (m) => (m.text.body = "Hallo"));
    const button = await deliver(fx.BUTTON_REPLY_MESSAGE_WEBHOOK);
    const english = await deliver(fx.TEXT_MESSAGE_WEBHOOK, (m) => (m.text.body = "Rechnung"), "447700900123");
    const englishPlain = await deliver(fx.TEXT_MESSAGE_WEBHOOK, (m) => (m.text.body = "Hello"), "447700900124");
    for (const id of [invoice, plain, button, english, englishPlain]) {
      await handleConversationRoute({ conversationId: id }, ctx());
    }
    expect(await teamOf(invoice)).toBe(teams.Billing);
    expect(await teamOf(plain)).toBe(teams.Support);
    expect(await teamOf(button)).toBe(teams.Sales);
    // First match wins: the keyword rule comes before the language rule.
    expect(await teamOf(english)).toBe(teams.Billing);
    expect(await teamOf(englishPlain)).toBe(teams.English);
    const queued = await t.db.conversation.findUniqueOrThrow({ where: { id: plain } });
    expect(queued.queuedAt).not.toBeNull();
    expect(queued.assigneeId).toBeNull();
  });

  it("routes by a label the contact carries and by a contact attribute (facts read in one statement)", async () => {
    const vip = await t.db.label.create({ data: { name: "VIP-route", color: "#aa0000" } });
    const from = String(++phone);
    const contact = await t.db.contact.create({
      data: { channelId: (await t.db.channel.findFirstOrThrow()).id, waId: from, email: "kim@example.test" },
    });
    await t.db.contactLabel.create({ data: { contactId: contact.id, labelId: vip.id } });
    const rules = [
      { name: "VIP", isActive: true, conditions: { labelIds: [vip.id] }, teamId: teams.Sales! },
      {
        name: "Mail",
        isActive: true,
        conditions: { contactAttribute: { name: "email" as const, value: "KIM@example.test" } },
        teamId: teams.Billing!,
      },
    ];
    await replaceRoutingRules(t.db, { type: "system" }, rules);
    try {
      const labelled = await deliver(fx.TEXT_MESSAGE_WEBHOOK, (m) => (m.text.body = "Hallo"), from);
      await handleConversationRoute({ conversationId: labelled }, ctx());
      expect(await teamOf(labelled)).toBe(teams.Sales);
      // Another customer with that e-mail and no label: the attribute rule.
      const other = String(++phone);
      await t.db.contact.create({
        data: { channelId: contact.channelId, waId: other, email: "kim@example.test" },
      });
      const again = await deliver(fx.TEXT_MESSAGE_WEBHOOK, (m) => (m.text.body = "Noch was"), other);
      await handleConversationRoute({ conversationId: again }, ctx());
      expect(await teamOf(again)).toBe(teams.Billing);
    } finally {
      await replaceRoutingRules(t.db, { type: "system" }, [
        { name: "Invoices", isActive: true, conditions: { keywords: ["rechnung"] }, teamId: teams.Billing! },
        { name: "Sales button", isActive: true, conditions: { replyIds: ["cancel-button"] }, teamId: teams.Sales! },
        { name: "English", isActive: true, conditions: { languages: ["en"] }, teamId: teams.English! },
      ]);
    }
  });

  it("routes jobs that run at the same time together, each by its own facts, a repeated one included", async () => {
    const invoice = await deliver(fx.TEXT_MESSAGE_WEBHOOK, (m) => (m.text.body = "rechnung bitte"));
    const plain = await deliver(fx.TEXT_MESSAGE_WEBHOOK, (m) => (m.text.body = "Guten Tag"));
    const button = await deliver(fx.BUTTON_REPLY_MESSAGE_WEBHOOK);
    const english = await deliver(fx.TEXT_MESSAGE_WEBHOOK, (m) => (m.text.body = "Hi"), "447700900125");
    const ids = [invoice, plain, button, english, plain];
    await Promise.all(ids.map((conversationId) => handleConversationRoute({ conversationId }, ctx())));
    expect(await Promise.all([invoice, plain, button, english].map(teamOf))).toEqual([
      teams.Billing,
      teams.Support,
      teams.Sales,
      teams.English,
    ]);
  });

  it("routes once: a repeated job leaves a conversation a person moved meanwhile where it is", async () => {
    const id = await deliver(fx.TEXT_MESSAGE_WEBHOOK, (m) => (m.text.body = "rechnung"));
    await handleConversationRoute({ conversationId: id }, ctx());
    await t.db.conversation.update({ where: { id }, data: { teamId: teams.Sales! } });
    await handleConversationRoute({ conversationId: id }, ctx());
    expect(await teamOf(id)).toBe(teams.Sales);
  });
});

describe("conversation.route: one job per stored batch", () => {
  it("the new conversations of one stored batch are one route job, and that job routes every one of them", async () => {
    const ids = await deliverTogether([
      { body: "Meine Rechnung", from: String(++phone) },
      { body: "Hallo", from: String(++phone) },
      { body: "Hello there", from: "447700900301" },
    ]);
    expect(ids).toHaveLength(3);
    const jobs = await routeJobsOf(ids[0]!);
    expect(jobs).toEqual([{ conversationIds: [...ids].sort() }]);
    await handleConversationRoute(jobs[0]!, ctx());
    expect(await Promise.all(ids.map(teamOf))).toEqual([teams.Billing, teams.Support, teams.English]);
    for (const id of ids) {
      expect((await t.db.conversation.findUniqueOrThrow({ where: { id } })).queuedAt).not.toBeNull();
    }
    // A repeated job changes nothing: a conversation a person moved meanwhile stays where it is.
    await t.db.conversation.update({ where: { id: ids[1]! }, data: { teamId: teams.Sales! } });
    await handleConversationRoute(jobs[0]!, ctx());
    expect(await Promise.all(ids.map(teamOf))).toEqual([teams.Billing, teams.Sales, teams.English]);
  });

  it("still routes a job of the single-conversation shape written before the upgrade", async () => {
    const id = await deliver(fx.TEXT_MESSAGE_WEBHOOK, (m) => (m.text.body = "rechnung von gestern"));
    const old = JOB_SCHEMAS["conversation.route"].parse({ conversationId: id });
    expect(old).toEqual({ conversationId: id });
    await handleConversationRoute(old, ctx());
    expect(await teamOf(id)).toBe(teams.Billing);
    expect((await t.db.conversation.findUniqueOrThrow({ where: { id } })).queuedAt).not.toBeNull();
  });
});

describe("conversation.route: greeting and away text", () => {
  it("greets and, with the whole team away, sends the away text in the customer's language once, as the product", async () => {
    const team = await t.db.team.create({
      data: {
        name: "Night",
        greetingMessage: { de: "Hallo! Schön, dass Sie schreiben.", en: "Hello! Thanks for writing." },
        awayMessage: { de: "Gerade ist niemand da.", en: "Nobody is here right now." },
      },
    });
    const agent = await t.db.user.create({
      data: { email: "night@example.test", name: "N", passwordHash: "x", availability: "away" },
    });
    await t.db.teamMembership.create({ data: { userId: agent.id, teamId: team.id } });
    await replaceRoutingRules(t.db, { type: "system" }, [
      { name: "Night", isActive: true, conditions: { keywords: ["nacht", "night"] }, teamId: team.id },
    ]);
    const german = await deliver(fx.TEXT_MESSAGE_WEBHOOK, (m) => (m.text.body = "Nachtfrage"));
    const english = await deliver(fx.TEXT_MESSAGE_WEBHOOK, (m) => (m.text.body = "night question"), "447700900200");
    for (const id of [german, english, german]) await handleConversationRoute({ conversationId: id }, ctx());
    const outbound = (id: string) =>
      t.db.message.findMany({ where: { conversationId: id, direction: "outbound" }, orderBy: { createdAt: "asc" } });
    expect((await outbound(german)).map((m) => [m.text, m.senderId, m.status])).toEqual([
      ["Hallo! Schön, dass Sie schreiben.", null, "queued"],
      ["Gerade ist niemand da.", null, "queued"],
    ]);
    expect((await outbound(english)).map((m) => m.text)).toEqual([
      "Hello! Thanks for writing.",
      "Nobody is here right now.",
    ]);
    expect(
      await t.db.outboxJob.count({
        where: { name: "message.send", jobId: { contains: (await outbound(german))[1]!.id } },
      }),
    ).toBe(1);

    // One language, the message's: an English message from a German number is greeted in English.
    const englishFromGermany = await deliver(
      fx.TEXT_MESSAGE_WEBHOOK,
      (m) => (m.text.body = "Hello, is anyone there at night? I have a question about my order"),
    );
    await handleConversationRoute({ conversationId: englishFromGermany }, ctx());
    expect((await outbound(englishFromGermany)).map((m) => m.text)).toEqual([
      "Hello! Thanks for writing.",
      "Nobody is here right now.",
    ]);

    // Someone available: greeting only.
    await t.db.user.update({ where: { id: agent.id }, data: { availability: "available" } });
    const staffed = await deliver(fx.TEXT_MESSAGE_WEBHOOK, (m) => (m.text.body = "nacht"));
    await handleConversationRoute({ conversationId: staffed }, ctx());
    expect((await outbound(staffed)).map((m) => m.text)).toEqual(["Hallo! Schön, dass Sie schreiben."]);

    // Outside the 24 h window nothing is sent (the send rules apply to auto replies too).
    await t.db.user.update({ where: { id: agent.id }, data: { availability: "away" } });
    const stale = await deliver(fx.TEXT_MESSAGE_WEBHOOK, (m) => {
      m.text.body = "nacht";
      m.timestamp = String(Math.floor(Date.now() / 1000) - 2 * 86_400);
    });
    await handleConversationRoute({ conversationId: stale }, ctx());
    expect(await outbound(stale)).toEqual([]);
    await replaceRoutingRules(t.db, { type: "system" }, []);
  });

  it("a text missing in the customer's language falls back to the default language's (DEFAULT_CUSTOMER_LANGUAGE)", async () => {
    const team = await t.db.team.create({
      data: {
        name: "Evening",
        greetingMessage: { de: "", en: "Hello from the evening team." },
        awayMessage: { de: "", en: "" },
      },
    });
    const agent = await t.db.user.create({
      data: { email: "evening@example.test", name: "E", passwordHash: "x", availability: "available" },
    });
    await t.db.teamMembership.create({ data: { userId: agent.id, teamId: team.id } });
    await replaceRoutingRules(t.db, { type: "system" }, [
      { name: "Evening", isActive: true, conditions: { keywords: ["abend"] }, teamId: team.id },
    ]);
    expect(deps.env.DEFAULT_CUSTOMER_LANGUAGE).toBe("en");
    const german = await deliver(fx.TEXT_MESSAGE_WEBHOOK, (m) => (m.text.body = "Guten Abend"));
    await handleConversationRoute({ conversationId: german }, ctx());
    const texts = await t.db.message.findMany({ where: { conversationId: german, direction: "outbound" } });
    expect(texts.map((m) => m.text)).toEqual(["Hello from the evening team."]);
    await replaceRoutingRules(t.db, { type: "system" }, []);
  });
});
