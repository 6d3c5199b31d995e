/**
 * Fault test: Postgres stops (crash) while signed webhooks keep arriving. Meta retries every answer but 200, so a
 * delivery the api cannot store must be answered 503 (never 200 without a commit, never a 500 crash page), nothing
 * may be half-written, and the api must come back by itself when Postgres does — no restart.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "@inbox/config";
import { createDb, createPgPool, isDatabaseUnavailable, type Db, type PgPool } from "@inbox/db";
import { applyMigrations } from "@inbox/db/migrate";
import {
  createTestRedisPrefix,
  startTestPostgresServer,
  TEST_REDIS_URL,
  type TestPostgresServer,
} from "@inbox/db/testing";
import { createRedis, JobQueues } from "@inbox/jobs";
import { createLogger } from "@inbox/logger";
import { signPayload } from "@inbox/whatsapp";
import * as fx from "@inbox/whatsapp/fixtures";
import { buildApp, type App } from "./app";

const APP_SECRET = "outage-app-secret";
const log = createLogger({ name: "test", level: "silent", pretty: false });
const redis = createRedis(TEST_REDIS_URL);
let server: TestPostgresServer;
let db: Db;
let pgPool: PgPool;
let app: App;

function delivery(n: number): string {
  const p = JSON.parse(JSON.stringify(fx.TEXT_MESSAGE_WEBHOOK));
  const v = p.entry[0].changes[0].value;
  const from = `49151${String(1_000_000 + (n % 40)).padStart(7, "0")}`;
  v.messages[0].id = `wamid.outage-${n}`;
  v.messages[0].from = from;
  v.messages[0].text.body = `message ${n}`;
  v.contacts[0].wa_id = from;
  return JSON.stringify(p);
}

async function post(n: number): Promise<number> {
  const body = delivery(n);
  const res = await app.inject({
    method: "POST",
    url: "/webhooks/whatsapp",
    payload: body,
    headers: { "content-type": "application/json", "x-hub-signature-256": signPayload(body, APP_SECRET) },
  });
  if (res.statusCode === 503) expect(res.headers["retry-after"]).toBeDefined();
  return res.statusCode;
}

beforeAll(async () => {
  server = await startTestPostgresServer();
  await applyMigrations(server.url);
  db = createDb(server.url, { max: 5 });
  pgPool = createPgPool(server.url, { max: 4 });
  const team = await db.team.create({ data: { name: "Support" } });
  await db.channel.create({
    data: { type: "whatsapp", name: "WA", externalId: fx.META_METADATA.phone_number_id, defaultTeamId: team.id },
  });
  app = await buildApp({
    env: parseEnv({ DATABASE_URL: server.url, LOG_LEVEL: "silent", WHATSAPP_APP_SECRET: APP_SECRET }),
    db,
    pgPool,
    redis,
    queues: new JobQueues(redis, createTestRedisPrefix()),
    log,
  });
}, 60_000);

afterAll(async () => {
  await app?.close();
  redis.disconnect();
  await db?.$disconnect();
  await pgPool?.end();
  await server?.destroy();
});

describe("Postgres stops under webhook load", () => {
  it("answers 503 while it is down, stores every 200 exactly once, and recovers without a restart", async () => {
    const statuses = new Map<number, number>();
    let n = 0;
    let running = true;
    // Meta delivers concurrently: eight senders, each posting its next delivery as soon as the last is answered.
    const senders = Array.from({ length: 8 }, async () => {
      while (running) {
        const id = n++;
        statuses.set(id, await post(id));
      }
    });
    const atLeast = (count: number) => expect.poll(() => n, { timeout: 30_000 }).toBeGreaterThan(count);

    try {
      await atLeast(40);
      await server.stop();
      const downAt = n;
      await expect
        .poll(() => [...statuses.values()].filter((s) => s !== 200).length, { timeout: 60_000 })
        .toBeGreaterThan(8);
      await server.start();
      // Back by itself: deliveries are stored again, the same app, pools and process.
      await expect
        .poll(() => [...statuses.entries()].filter(([id, s]) => id > downAt && s === 200).length, { timeout: 60_000 })
        .toBeGreaterThan(16);
    } finally {
      running = false;
      await Promise.all(senders);
    }

    const answered = [...statuses.values()];
    expect(
      answered.every((s) => s === 200 || s === 503),
      `statuses: ${[...new Set(answered)].join(",")}`,
    ).toBe(true);
    const ok = [...statuses].filter(([, s]) => s === 200).map(([id]) => `wamid.outage-${id}`);
    const refused = [...statuses].filter(([, s]) => s === 503).map(([id]) => id);

    // Every acknowledged delivery is stored, once, with its conversation.
    const stored = await db.message.findMany({ select: { externalId: true, conversationId: true } });
    const storedIds = new Set(stored.map((m) => m.externalId));
    for (const id of ok) expect(storedIds.has(id), id).toBe(true);
    expect(stored.length).toBe(storedIds.size);

    // Meta redelivers what got 503: now each is stored, and nothing is doubled.
    for (const id of refused) expect(await post(id)).toBe(200);
    const total = await db.message.count();
    expect(total).toBe(new Set([...ok, ...refused.map((id) => `wamid.outage-${id}`)]).size);
    // Nothing half-written: 40 customers, one contact and one open conversation each.
    expect(await db.contact.count()).toBe(Math.min(40, n));
    expect(await db.conversation.count()).toBe(await db.contact.count());
  }, 180_000);

  it("recognises an outage on both database paths (Prisma and the plain pg pool), and not a query error", async () => {
    await server.stop();
    try {
      const prismaError = await db.message.count().catch((e: unknown) => e);
      const pgError = await pgPool.query("SELECT 1").catch((e: unknown) => e);
      expect(isDatabaseUnavailable(prismaError), String(prismaError)).toBe(true);
      expect(isDatabaseUnavailable(pgError), String(pgError)).toBe(true);
    } finally {
      await server.start();
    }
    const queryError = await pgPool.query("SELECT * FROM no_such_table").catch((e: unknown) => e);
    expect(isDatabaseUnavailable(queryError)).toBe(false);
    expect(await db.message.count()).toBeGreaterThan(0);
  }, 60_000);
});
