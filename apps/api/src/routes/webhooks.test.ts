/* eslint-disable @typescript-eslint/no-explicit-any -- tests edit Meta's raw JSON examples */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseEnv } from "@inbox/config";
import {
  createTestDatabase,
  createTestRedisPrefix,
  startTestRedisServer,
  TEST_REDIS_URL,
  type TestDatabase,
} from "@inbox/db/testing";
import { conversationIdsOfRouteJob, createRedis, drainOutbox, JOB_SCHEMAS, JobQueues } from "@inbox/jobs";
import { createLogger } from "@inbox/logger";
import { signPayload } from "@inbox/whatsapp";
import * as fx from "@inbox/whatsapp/fixtures";
import { subscribeLiveEvents } from "@inbox/core";
import type { LiveEnvelope } from "@inbox/contracts";
import type { Db } from "@inbox/db";
import type { Redis } from "ioredis";
import { buildApp } from "../app";
import type { ApiInfra, App } from "../types";

const APP_SECRET = "test-app-secret";
const VERIFY_TOKEN = "test-verify-token";
const log = createLogger({ name: "test", level: "silent", pretty: false });
const env = (url: string) =>
  parseEnv({
    DATABASE_URL: url,
    LOG_LEVEL: "silent",
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
  });

/** The api wired on a test database, a Redis connection and its queues. */
const infra = (db: TestDatabase, redisConnection: Redis, queues: JobQueues): ApiInfra => ({
  env: env(db.url),
  db: db.db,
  pgPool: db.pgPool,
  redis: redisConnection,
  queues,
  log,
  clock: () => new Date(),
  consoleDir: null,
});
async function seedChannel(db: Db) {
  const team = await db.team.create({ data: { name: "Support" } });
  await db.channel.create({
    data: { type: "whatsapp", name: "WA", externalId: fx.META_METADATA.phone_number_id, defaultTeamId: team.id },
  });
}

let t: TestDatabase;
let app: App;
let prefix: string;
const redis = createRedis(TEST_REDIS_URL);
const conversationIdsOf = (payload: unknown) =>
  conversationIdsOfRouteJob(JOB_SCHEMAS["conversation.route"].parse(payload));
let seq = 0;

function post(target: App, body: string | Buffer, headers: Record<string, string> = {}) {
  return target.inject({
    method: "POST",
    url: "/webhooks/whatsapp",
    payload: body,
    headers: { "content-type": "application/json", "x-hub-signature-256": signPayload(body, APP_SECRET), ...headers },
  });
}
function textWebhook(from: string, body = "hello", id = `wamid.route-${++seq}`) {
  const p = JSON.parse(JSON.stringify(fx.TEXT_MESSAGE_WEBHOOK));
  const v = p.entry[0].changes[0].value;
  v.messages[0].id = id;
  v.messages[0].from = from;
  v.messages[0].text.body = body;
  v.contacts[0].wa_id = from;
  return JSON.stringify(p);
}
const tableCounts = async () => ({
  messages: await t.db.message.count(),
  contacts: await t.db.contact.count(),
  conversations: await t.db.conversation.count(),
  events: await t.db.webhookEvent.count(),
  statuses: await t.db.messageStatusEvent.count(),
  outbox: await t.db.outboxJob.count(),
});

beforeAll(async () => {
  t = await createTestDatabase();
  await seedChannel(t.db);
  prefix = createTestRedisPrefix();
  app = await buildApp(infra(t, redis, new JobQueues(redis, prefix)));
});
afterAll(async () => {
  await app.close();
  redis.disconnect();
  await t.drop();
});

describe("GET /webhooks/whatsapp (verification handshake)", () => {
  it("echoes the challenge as plain text for the right token", async () => {
    const res = await app.inject({
      method: "GET",
      url: `/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${VERIFY_TOKEN}`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain/);
    expect(res.body).toBe("1158201444");
  });
  it("answers 403 for a wrong token or mode", async () => {
    for (const q of [
      "hub.mode=subscribe&hub.challenge=1&hub.verify_token=nope",
      "hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=" + VERIFY_TOKEN,
      "",
    ]) {
      expect((await app.inject({ method: "GET", url: `/webhooks/whatsapp?${q}` })).statusCode).toBe(403);
    }
  });
});

describe("POST /webhooks/whatsapp", () => {
  it("stores a signed delivery and answers 200 after the commit; a replay is stored once", async () => {
    const body = JSON.stringify(fx.TEXT_MESSAGE_WEBHOOK);
    const wamid = (fx.TEXT_MESSAGE_WEBHOOK as any).entry[0].changes[0].value.messages[0].id as string;
    const res = await post(app, body);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "ok" });
    expect(await t.db.message.count({ where: { externalId: wamid } })).toBe(1);
    for (let i = 0; i < 3; i++) expect((await post(app, body)).statusCode).toBe(200);
    expect(await t.db.message.count({ where: { externalId: wamid } })).toBe(1);
  });

  it("accepts every Meta example payload", async () => {
    for (const [name, fixture] of Object.entries(fx.META_EXAMPLE_WEBHOOKS)) {
      const res = await post(app, JSON.stringify(fixture));
      expect(res.statusCode, name).toBe(200);
    }
  });

  it("stores a delivery whose elements carry __proto__ keys, and the stored rows stay readable", async () => {
    // Found by the property below: kept, the key broke Prisma's read of the row and the delivery was answered 500.
    const id = `wamid.proto-${++seq}`;
    const p = JSON.parse(textWebhook("491712222222", "proto", `${id}-text`));
    const value = p.entry[0].changes[0].value;
    value.messages.push({ from: "491712222222", id: `${id}-odd`, type: "", errors: [{ title: "__TITLE__" }] });
    value.messages.push({ id: `${id}-untied`, type: "", errors: [{ title: "__TITLE__" }] });
    const body = JSON.stringify(p)
      .replaceAll('"__TITLE__"', '{"__proto__":null}')
      .replace('"text":{', '"text":{"__proto__":{"polluted":true},');
    const before = await t.db.webhookEvent.count({ where: { quarantineReason: "apply_failed" } });
    expect((await post(app, body)).statusCode).toBe(200);
    const stored = await t.db.message.findMany({
      where: { externalId: { startsWith: id } },
      orderBy: { externalId: "asc" },
    });
    expect(stored.map((m) => m.externalId)).toEqual([`${id}-odd`, `${id}-text`]);
    expect(JSON.stringify(stored.map((m) => m.payload))).not.toContain("__proto__");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const quarantined = await t.db.webhookEvent.findMany({
      where: { handledAt: null, quarantineReason: { not: null } },
    });
    expect(quarantined.filter((e) => JSON.stringify(e.payload).includes(`${id}-untied`))).toHaveLength(1);
    expect(await t.db.webhookEvent.count({ where: { quarantineReason: "apply_failed" } })).toBe(before);
  });

  it("verifies the raw bytes: a re-serialised body with different whitespace but the original signature is refused", async () => {
    const body = JSON.stringify(fx.TEXT_MESSAGE_WEBHOOK, null, 2);
    const res = await post(app, JSON.stringify(JSON.parse(body)), {
      "x-hub-signature-256": signPayload(body, APP_SECRET),
    });
    expect(res.statusCode).toBe(401);
    expect((await post(app, body)).statusCode).toBe(200);
  });

  it("answers 401 and stores nothing without or with a wrong signature", async () => {
    const before = await tableCounts();
    const body = textWebhook("491711111111");
    const unsigned = await app.inject({
      method: "POST",
      url: "/webhooks/whatsapp",
      payload: body,
      headers: { "content-type": "application/json" },
    });
    expect(unsigned.statusCode).toBe(401);
    expect((await post(app, body, { "x-hub-signature-256": signPayload(body, "other-secret") })).statusCode).toBe(401);
    expect((await post(app, body, { "x-hub-signature-256": "sha256=zz" })).statusCode).toBe(401);
    expect((await post(app, body, { "x-hub-signature-256": signPayload(body + " ", APP_SECRET) })).statusCode).toBe(
      401,
    );
    expect(await tableCounts()).toEqual(before);
  });

  it("answers 400 for a signed body that is not JSON or not a WhatsApp Business Account object", async () => {
    expect((await post(app, "not json")).statusCode).toBe(400);
    expect((await post(app, JSON.stringify({ object: "page", entry: [] }))).statusCode).toBe(400);
    expect((await post(app, "{}", { "content-type": "text/plain" })).statusCode).toBe(400);
  });

  it("answers 413 over the body limit", async () => {
    const big = JSON.stringify({ object: "whatsapp_business_account", entry: [], pad: "x".repeat(5 * 1024 * 1024) });
    expect((await post(app, big)).statusCode).toBe(413);
  });

  it("publishes live events on Redis pub/sub after the commit", async () => {
    const sub = redis.duplicate();
    const received: LiveEnvelope[] = [];
    const subscription = await subscribeLiveEvents(sub, prefix, (e) => received.push(e));
    expect((await post(app, textWebhook("491722222222", "live please"))).statusCode).toBe(200);
    await expect.poll(() => received.length, { timeout: 3_000 }).toBeGreaterThanOrEqual(2);
    expect(received.map((e) => e.event.type)).toEqual(
      expect.arrayContaining(["message.created", "conversation.updated"]),
    );
    expect(received[1]!.seq).toBeGreaterThan(received[0]!.seq);
    await subscription.close();
    sub.disconnect();
  });
});

describe("fault: Redis unreachable during a burst", () => {
  it("answers 200 to every webhook, keeps every message in Postgres and drains the jobs once Redis is back", async () => {
    // A database of its own: no other app's outbox relay may drain what this test expects to wait.
    const own = await createTestDatabase();
    await seedChannel(own.db);
    const dead = createRedis("redis://127.0.0.1:1", {
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
    });
    dead.on("error", () => undefined);
    const ownPrefix = createTestRedisPrefix();
    const deadQueues = new JobQueues(dead, ownPrefix);
    for (const q of Object.values(deadQueues.queues)) q.on("error", () => undefined);
    // The app's own outbox relay tries the dead Redis and leaves every job in Postgres.
    const faulty = await buildApp(infra(own, dead, deadQueues));
    const n = 60;
    const bodies = Array.from({ length: n }, (_, i) =>
      textWebhook(`49173${String(i).padStart(7, "0")}`, `burst ${i}`, `wamid.burst-${i}`),
    );
    const answers = await Promise.all(bodies.map((b) => post(faulty, b)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(n).fill(200));
    expect(await own.db.message.count({ where: { externalId: { startsWith: "wamid.burst-" } } })).toBe(n);
    await faulty.close();
    // One route job per stored batch: together they carry every new conversation.
    const pending = await own.db.outboxJob.findMany({ where: { dispatchedAt: null, name: "conversation.route" } });
    expect(new Set(pending.flatMap((row) => conversationIdsOf(row.payload))).size).toBe(n);

    // Redis is back: the relay of any process drains what waited in Postgres, each job once.
    const queues = new JobQueues(redis, ownPrefix);
    let drained = 0;
    for (let i = 0; i < 10; i++) {
      const r = await drainOutbox(own.db, queues, log);
      drained += r.dispatched;
      if (r.dispatched === 0) break;
    }
    expect(drained).toBeGreaterThanOrEqual(pending.length);
    expect(await own.db.outboxJob.count({ where: { dispatchedAt: null } })).toBe(0);
    const waiting = await queues.queues.inbound.getJobCounts("waiting", "delayed", "active", "completed", "failed");
    const total = Object.values(waiting).reduce((a, b) => a + b, 0);
    expect(total).toBe(
      await own.db.outboxJob.count({
        where: { name: { in: ["conversation.route", "media.download", "consent.confirm"] } },
      }),
    );
    await queues.close();
    await deadQueues.close().catch(() => undefined);
    dead.disconnect();
    await own.drop();
  });
});

describe("fault: Redis stopped and started again during a burst", () => {
  it("answers 200 throughout, stores every message, and the running relay drains what waited once Redis is back", async () => {
    const own = await createTestDatabase();
    await seedChannel(own.db);
    const server = await startTestRedisServer();
    const ownRedis = createRedis(server.url);
    ownRedis.on("error", () => undefined);
    const ownPrefix = createTestRedisPrefix();
    const queues = new JobQueues(ownRedis, ownPrefix);
    for (const q of Object.values(queues.queues)) q.on("error", () => undefined);
    // The app's own outbox relay drains what waited once Redis is back.
    const app = await buildApp(infra(own, ownRedis, queues));
    try {
      const burst = (from: number, count: number) =>
        Promise.all(
          Array.from({ length: count }, (_, i) => from + i).map((k) =>
            post(app, textWebhook(`49174${String(k).padStart(7, "0")}`, `restart ${k}`, `wamid.restart-${k}`)),
          ),
        );
      const before = await burst(0, 30);
      await server.stop();
      const during = await burst(30, 30);
      const stoppedAt = new Date();
      await server.start();
      const after = await burst(60, 30);
      expect([...before, ...during, ...after].map((a) => a.statusCode)).toEqual(Array(90).fill(200));
      expect(await own.db.message.count({ where: { externalId: { startsWith: "wamid.restart-" } } })).toBe(90);

      // What waited in Postgres while Redis was down reaches the new Redis through the same process, each job once.
      await expect
        .poll(() => own.db.outboxJob.count({ where: { dispatchedAt: null } }), { timeout: 15_000, interval: 100 })
        .toBe(0);
      const dispatchedAfter = await own.db.outboxJob.findMany({
        where: { name: "conversation.route", dispatchedAt: { gte: stoppedAt } },
      });
      expect(dispatchedAfter.flatMap((row) => conversationIdsOf(row.payload)).length).toBeGreaterThanOrEqual(30);
      const counts = await queues.queues.inbound.getJobCounts("waiting", "delayed", "active", "completed", "failed");
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(dispatchedAfter.length);
    } finally {
      await app.close();
      await queues.close().catch(() => undefined);
      ownRedis.disconnect();
      await server.stop();
      await own.drop();
    }
  });
});

describe("property: no input makes the receiver answer 500 or store a partial delivery", () => {
  const str = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom("", " ", "\u0000", "wamid.x", "491700000000", "9999999999999"),
  );
  const ts = fc.oneof(fc.integer({ min: 0, max: 999_999_999_999 }).map(String), str);
  const message = fc.record(
    {
      from: fc.oneof(str, fc.constant("4917000000" + "1")),
      from_user_id: str,
      id: fc.oneof(str, fc.constant("wamid.fuzz")),
      timestamp: ts,
      type: fc.constantFrom(
        "text",
        "image",
        "audio",
        "reaction",
        "system",
        "interactive",
        "button",
        "order",
        "location",
        "contacts",
        "whatever",
        "",
      ),
      text: fc.record({ body: str }, { requiredKeys: [] }),
      image: fc.record({ id: str, mime_type: str }, { requiredKeys: [] }),
      reaction: fc.record({ message_id: str, emoji: str }, { requiredKeys: [] }),
      system: fc.record(
        { type: fc.constantFrom("user_changed_number", "user_changed_user_id", "x"), wa_id: str, user_id: str },
        { requiredKeys: [] },
      ),
      location: fc.record(
        { latitude: fc.double({ noNaN: true }), longitude: fc.double({ noNaN: true }) },
        { requiredKeys: [] },
      ),
      context: fc.record({ id: str }, { requiredKeys: [] }),
    },
    { requiredKeys: [] },
  );
  const statusArb = fc.record(
    {
      id: str,
      status: fc.constantFrom("sent", "delivered", "read", "failed", "played", "bogus"),
      timestamp: ts,
      recipient_id: str,
      errors: fc.array(fc.record({ code: fc.integer() })),
    },
    { requiredKeys: [] },
  );
  const value = fc.record(
    {
      messaging_product: fc.constantFrom("whatsapp", "other"),
      metadata: fc.record({
        display_phone_number: str,
        phone_number_id: fc.constantFrom(fx.META_METADATA.phone_number_id, "1", ""),
      }),
      contacts: fc.array(
        fc.record(
          { wa_id: str, user_id: str, profile: fc.record({ name: str }, { requiredKeys: [] }) },
          { requiredKeys: [] },
        ),
        { maxLength: 3 },
      ),
      messages: fc.array(message, { maxLength: 4 }),
      statuses: fc.array(statusArb, { maxLength: 3 }),
      errors: fc.array(fc.record({ code: fc.integer() }), { maxLength: 2 }),
    },
    { requiredKeys: [] },
  );
  const payload = fc.oneof(
    fc.record({
      object: fc.constantFrom("whatsapp_business_account", "page"),
      entry: fc.array(
        fc.record({
          id: str,
          changes: fc.array(
            fc.record({ field: fc.constantFrom("messages", "user_preferences", "account_update"), value }),
            { maxLength: 3 },
          ),
        }),
        { maxLength: 3 },
      ),
    }),
    fc.jsonValue({ maxDepth: 3 }),
  );

  it("answers 200 or 400, never 500; a 400 changes nothing; a signed WhatsApp Business Account object is always 200", async () => {
    await fc.assert(
      fc.asyncProperty(payload, fc.boolean(), async (p, asText) => {
        const body = asText ? `${JSON.stringify(p)}` : JSON.stringify(p);
        const before = await tableCounts();
        const res = await post(app, body);
        expect([200, 400]).toContain(res.statusCode);
        const isWaba = typeof p === "object" && p !== null && (p as any).object === "whatsapp_business_account";
        expect(res.statusCode).toBe(isWaba ? 200 : 400);
        if (res.statusCode === 400) expect(await tableCounts()).toEqual(before);
      }),
      { numRuns: 150 },
    );
    // Nothing needed the last resort (a whole delivery kept because applying it failed): every element was handled.
    expect(await t.db.webhookEvent.count({ where: { quarantineReason: "apply_failed" } })).toBe(0);
  });
});

describe("property: well-formed but unexpected elements never cost the rest of a delivery", () => {
  // Anything JSON can hold, including what Meta might add: new fields, new element shapes, new types.
  const anything = fc.jsonValue({ maxDepth: 3 });
  const oddMessage = fc.oneof(
    anything,
    fc.record(
      {
        from: fc.oneof(fc.string({ maxLength: 14 }), fc.constant("")),
        from_user_id: fc.string({ maxLength: 20 }),
        id: fc.string({ maxLength: 20 }).map((s) => `wamid.odd-${s}`),
        timestamp: fc.oneof(fc.integer({ min: 0, max: 4_000_000_000 }).map(String), fc.string(), fc.integer()),
        type: fc.oneof(fc.constantFrom("text", "image", "system", "unsupported", "interactive", "order"), fc.string()),
        text: anything,
        image: anything,
        system: fc.record(
          {
            type: fc.constantFrom("user_changed_number", "user_changed_user_id", "customer_identity_changed"),
            wa_id: fc.string({ maxLength: 14 }),
            user_id: fc.string({ maxLength: 20 }),
            previous_user_id: fc.string({ maxLength: 20 }),
          },
          { requiredKeys: [] },
        ),
        errors: fc.array(
          fc.record({ code: fc.oneof(fc.integer(), fc.string()), title: anything }, { requiredKeys: [] }),
        ),
        new_field: anything,
      },
      { requiredKeys: ["id", "type"] },
    ),
  );
  const oddStatus = fc.oneof(
    anything,
    fc.record(
      {
        id: fc.string({ maxLength: 20 }),
        status: fc.oneof(fc.constantFrom("sent", "delivered", "read", "failed", "deleted"), fc.string()),
        timestamp: fc.oneof(fc.integer({ min: 0, max: 4_000_000_000 }).map(String), fc.string()),
        recipient_id: fc.string(),
        errors: anything,
        pricing: anything,
      },
      { requiredKeys: [] },
    ),
  );
  const oddContact = fc.oneof(
    anything,
    fc.record(
      { wa_id: fc.string({ maxLength: 14 }), user_id: fc.string({ maxLength: 20 }), profile: anything },
      { requiredKeys: [] },
    ),
  );
  const oddChange = fc.record({
    field: fc.oneof(fc.constantFrom("messages", "user_preferences", "calls"), fc.string()),
    value: anything,
  });

  it("the well-formed elements of a signed delivery are stored, however odd the others; never 400 or 500", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(oddMessage, { maxLength: 3 }),
        fc.array(oddStatus, { maxLength: 2 }),
        fc.array(oddContact, { maxLength: 2 }),
        fc.array(anything, { maxLength: 2 }),
        fc.array(oddChange, { maxLength: 2 }),
        fc.array(anything, { maxLength: 1 }),
        fc.dictionary(fc.string({ maxLength: 8 }), anything, { maxKeys: 2 }),
        fc.nat(),
        async (messages, statuses, contacts, errors, changes, entries, extra, at) => {
          const wamid = `wamid.prop-good-${++run}`;
          const from = `4917500${String(run).padStart(5, "0")}`;
          const good = {
            from,
            id: wamid,
            timestamp: "1763800000",
            type: "text",
            text: { body: "the good one" },
          };
          const goodStatus = {
            id: `wamid.prop-status-${run}`,
            status: "read",
            timestamp: String(1_763_800_000 + run),
            recipient_id: "16505551234",
          };
          const value = {
            ...extra,
            messaging_product: "whatsapp",
            metadata: fx.META_METADATA,
            contacts: [...contacts, { profile: { name: "Good" }, wa_id: from }],
            messages: [
              ...messages.slice(0, at % (messages.length + 1)),
              good,
              ...messages.slice(at % (messages.length + 1)),
            ],
            statuses: [...statuses, goodStatus],
          };
          const delivery = {
            ...extra,
            object: "whatsapp_business_account",
            entry: [
              ...entries,
              { id: fx.META_WABA_ID, changes: [...changes, { field: "messages", value }] },
              { id: fx.META_WABA_ID, changes: [{ field: "messages", value: { metadata: fx.META_METADATA, errors } }] },
            ],
          };
          const res = await post(app, JSON.stringify(delivery));
          expect(res.statusCode).toBe(200);
          expect(await t.db.message.count({ where: { externalId: wamid } })).toBe(1);
          expect(await t.db.messageStatusEvent.count({ where: { externalId: goodStatus.id } })).toBe(1);
        },
      ),
      { numRuns: 120 },
    );
    expect(await t.db.webhookEvent.count({ where: { quarantineReason: "apply_failed" } })).toBe(0);
  });
});
