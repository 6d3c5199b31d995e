import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import type { LiveEnvelope, LiveEvent } from "@inbox/contracts";
import { createTestRedisPrefix, TEST_REDIS_URL } from "@inbox/db/testing";
import { createLogger } from "@inbox/logger";
import { createLiveBacklog } from "./live-backlog";
import { createLivePublisher, liveChannelName, subscribeLiveEvents } from "./live-publisher";

const log = createLogger({ name: "test", level: "silent", pretty: false });
const presence = (userId: string): LiveEvent => ({ type: "presence", userId, isOnline: true });

let redis: Redis;
let subscriber: Redis;
beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL);
  subscriber = new Redis(TEST_REDIS_URL, { lazyConnect: true });
});
afterAll(() => {
  redis.disconnect();
  subscriber.disconnect();
});

/** Every raw pub/sub message on the prefix's live channel, as Redis delivered it. */
async function rawMessages(prefix: string): Promise<{ messages: string[]; close: () => void }> {
  const raw = new Redis(TEST_REDIS_URL);
  const messages: string[] = [];
  raw.on("message", (_channel: string, message: string) => messages.push(message));
  await raw.subscribe(liveChannelName(prefix));
  return { messages, close: () => raw.disconnect() };
}

describe("live publisher", () => {
  it("publishes a batch as one pub/sub message, numbered in order, and keeps every envelope in the backlog", async () => {
    const prefix = createTestRedisPrefix();
    const raw = await rawMessages(prefix);
    const got: LiveEnvelope[] = [];
    const sub = subscriber.duplicate();
    const subscription = await subscribeLiveEvents(sub, prefix, (e) => got.push(e));
    const publisher = createLivePublisher(redis, prefix, log);
    await publisher.publish([presence("a"), presence("b"), presence("c")]);
    await publisher.publish([presence("d")]);

    await expect.poll(() => got.length).toBe(4);
    await expect.poll(() => raw.messages.length).toBe(2);
    // One envelope per line, each as the backlog keeps it.
    expect(raw.messages[0]!.split("\n").map((line) => (JSON.parse(line) as LiveEnvelope).seq)).toEqual([1, 2, 3]);
    expect(got.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(got.map((e) => (e.event.type === "presence" ? e.event.userId : ""))).toEqual(["a", "b", "c", "d"]);
    const backlog = await createLiveBacklog(redis, prefix).since(1);
    expect(backlog.envelopes.map((e) => e.seq)).toEqual([2, 3, 4]);
    expect(backlog.complete).toBe(true);
    await subscription.close();
    sub.disconnect();
    raw.close();
  });

  it("several publishers at once (api instances, workers): every subscriber gets each seq once, in order", async () => {
    const prefix = createTestRedisPrefix();
    const got: number[] = [];
    const sub = subscriber.duplicate();
    const subscription = await subscribeLiveEvents(sub, prefix, (e) => got.push(e.seq));
    // Four processes' connections, each publishing 50 batches of 1-3 events as fast as they can.
    const connections = Array.from({ length: 4 }, () => new Redis(TEST_REDIS_URL));
    await Promise.all(connections.map((c) => c.ping()));
    let total = 0;
    await Promise.all(
      connections.map(async (connection, p) => {
        const publisher = createLivePublisher(connection, prefix, log);
        await Promise.all(
          Array.from({ length: 50 }, (_, b) => {
            const size = 1 + ((p + b) % 3);
            total += size;
            return publisher.publish(Array.from({ length: size }, (_, i) => presence(`${p}-${b}-${i}`)));
          }),
        );
      }),
    );
    await expect.poll(() => got.length).toBe(total);
    // The console hub skips any seq at or below the last it saw: only strictly ascending arrival loses nothing.
    expect(got).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    await subscription.close();
    sub.disconnect();
    for (const c of connections) c.disconnect();
  });

  it("skips invalid envelopes of a batch, keeps the valid ones, and still accepts a single envelope", async () => {
    const prefix = createTestRedisPrefix();
    const got: LiveEnvelope[] = [];
    const sub = subscriber.duplicate();
    const subscription = await subscribeLiveEvents(sub, prefix, (e) => got.push(e));
    const at = new Date().toISOString();
    const channel = liveChannelName(prefix);
    await redis.publish(
      channel,
      JSON.stringify([
        { seq: 1, at, event: presence("ok") },
        { seq: 2, at, event: { type: "bogus" } },
      ]),
    );
    await redis.publish(channel, "not json");
    await redis.publish(channel, JSON.stringify({ seq: 3, at, event: presence("single") }));
    await expect.poll(() => got.map((e) => e.seq)).toEqual([1, 3]);
    await subscription.close();
    sub.disconnect();
  });

  it("does not decode anything while nobody in the process listens", async () => {
    const prefix = createTestRedisPrefix();
    let isListening = false;
    const got: LiveEnvelope[] = [];
    const sub = subscriber.duplicate();
    const subscription = await subscribeLiveEvents(sub, prefix, (e) => got.push(e), { isListening: () => isListening });
    // Listeners run in the order they were added: once this one has seen a message, the subscription has too.
    let delivered = 0;
    sub.on("message", () => delivered++);
    const publisher = createLivePublisher(redis, prefix, log);
    await publisher.publish([presence("unseen")]);
    await expect.poll(() => delivered).toBe(1);
    isListening = true;
    await publisher.publish([presence("seen")]);
    await expect.poll(() => delivered).toBe(2);
    expect(got.map((e) => e.event)).toEqual([presence("seen")]);
    await subscription.close();
    sub.disconnect();
  });
});
