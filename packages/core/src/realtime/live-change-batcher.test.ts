import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import type { LiveEnvelope } from "@inbox/contracts";
import { pgSql, type Message } from "@inbox/db";
import { createTestDatabase, createTestRedisPrefix, TEST_REDIS_URL, type TestDatabase } from "@inbox/db/testing";
import { createLogger } from "@inbox/logger";
import { createLiveChangeBatcher } from "./live-change-batcher";
import { createLivePublisher, subscribeLiveEvents } from "./live-publisher";

const log = createLogger({ name: "test", level: "silent", pretty: false });

let t: TestDatabase;
let redis: Redis;
let subscriber: Redis;
let channelId: string;
let conversationId: string;
let teamId: string;
let n = 0;

beforeAll(async () => {
  t = await createTestDatabase();
  redis = new Redis(TEST_REDIS_URL);
  subscriber = new Redis(TEST_REDIS_URL);
  teamId = (await t.db.team.create({ data: { name: "Support" } })).id;
  channelId = (await t.db.channel.create({ data: { type: "whatsapp", name: "WA", externalId: "1" } })).id;
  const contact = await t.db.contact.create({ data: { channelId, waId: "491701234567" } });
  conversationId = (
    await t.db.conversation.create({
      data: { channelId, contactId: contact.id, activeContactId: contact.id, teamId },
    })
  ).id;
});
afterAll(async () => {
  redis.disconnect();
  subscriber.disconnect();
  await t.drop();
});

const message = (text: string): Promise<Message> =>
  t.db.message.create({
    data: {
      conversationId,
      channelId,
      direction: "inbound",
      type: "text",
      text,
      status: "received",
      externalId: `w${++n}`,
    },
  });

/** The batcher on the test database, publishing to a prefix of its own, and what a subscriber got from it. */
async function setUp(delayMs: number) {
  const prefix = createTestRedisPrefix();
  const got: LiveEnvelope[] = [];
  const sub = subscriber.duplicate();
  const subscription = await subscribeLiveEvents(sub, prefix, (e) => got.push(e));
  const live = createLiveChangeBatcher(pgSql(t.pgPool), createLivePublisher(redis, prefix, log), { log, delayMs });
  const close = async () => {
    await subscription.close();
    sub.disconnect();
  };
  return { got, live, close };
}

const describeEvent = (e: LiveEnvelope): string => {
  const event = e.event;
  if (event.type === "message.created" || event.type === "message.updated") {
    return `${event.type} ${event.message.text} ${event.message.status}`;
  }
  return event.type;
};

describe("live change batcher", () => {
  it("publishes a created message at once, whatever the window for reads (no timer on the way to the console)", async () => {
    const { got, live, close } = await setUp(60_000);
    const row = await message("hello");
    live.add({ storedMessages: [{ row, teamId, assigneeId: null }], conversationIds: [conversationId] });
    await expect.poll(() => got.map(describeEvent), { timeout: 2_000 }).toEqual(["message.created hello received"]);
    // The conversation's row waits for its window (or a flush).
    await live.flush();
    await expect.poll(() => got.map(describeEvent)).toEqual(["message.created hello received", "conversation.updated"]);
    await close();
  });

  it("keeps the order created messages were added in, and a message's tick never comes before the message", async () => {
    const { got, live, close } = await setUp(5);
    const texts: string[] = [];
    for (let i = 0; i < 30; i++) {
      const row = await message(`m${i}`);
      texts.push(row.text!);
      // Rows given and ids to read alternate; every third message is at once marked read.
      if (i % 2 === 0) live.add({ storedMessages: [{ row, teamId, assigneeId: null }] });
      else live.add({ createdMessageIds: [row.id] });
      if (i % 3 === 0) {
        await t.db.message.update({ where: { id: row.id }, data: { status: "read" } });
        live.add({ updatedMessageIds: [row.id], conversationIds: [conversationId] });
      }
      if (i % 7 === 0) await new Promise((r) => setImmediate(r));
    }
    await live.flush();
    // Every message once, every tick.
    await expect.poll(() => got.filter((e) => e.event.type === "message.created").length).toBe(30);
    await expect.poll(() => got.filter((e) => e.event.type === "message.updated").length).toBe(10);
    const created = got.filter((e) => e.event.type === "message.created").map(describeEvent);
    expect(created.map((d) => d.split(" ")[1])).toEqual(texts);
    const position = (d: string) => got.findIndex((e) => describeEvent(e) === d);
    for (let i = 0; i < 30; i += 3) {
      const createdAt = got.findIndex((e) => describeEvent(e).startsWith(`message.created m${i} `));
      expect(position(`message.updated m${i} read`)).toBeGreaterThan(createdAt);
    }
    expect(got.map((e) => e.seq)).toEqual(got.map((_, i) => got[0]!.seq + i));
    await close();
  });
});
