import { afterAll, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import { createTestRedisPrefix, TEST_REDIS_URL } from "@inbox/db/testing";
import { createRedis } from "@inbox/jobs";
import { RetryableSendError } from "@inbox/core";
import { createDispatchGate, createRedisThrottle, PAIR_BURST } from "./rate-limiter";
import { computeOutboundBackoff } from "./backoff";

describe("send rate limits (Redis token buckets)", () => {
  const redis = createRedis(TEST_REDIS_URL);
  const throttle = createRedisThrottle(redis, createTestRedisPrefix());
  afterAll(() => redis.disconnect());

  it("books evenly spaced slots for one phone number at its throughput limit", async () => {
    const channelId = randomUUID();
    // Booked in one burst, so the spacing comes from the limiter, not from how fast this machine books.
    const started = Date.now();
    const booked = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        throttle({ channelId, limitPerSecond: 50, recipientKey: `r${i}`, maxWaitMs: 10_000 }),
      ),
    );
    const took = Date.now() - started;
    expect(booked.every((slot) => slot.isBooked)).toBe(true);
    const slots = booked.map((slot) => slot.dueAt!);
    // 50/s × 0.97 → one slot every ~20.6 ms: 100 messages span ~2 s, never more than 50 in any second, and no
    // capacity lost: not longer than the spacing plus the time the burst took to book (5 ms for the estimate of the
    // offset between this clock and Redis's).
    expect(slots[99]! - slots[0]!).toBeGreaterThan(2_000);
    expect(slots[99]! - slots[0]!).toBeLessThanOrEqual((99 * 1000) / (50 * 0.97) + took + 5);
    for (let i = 50; i < 100; i++) expect(slots[i]! - slots[i - 50]!).toBeGreaterThanOrEqual(1_000);
  });

  it("does not book a slot further away than maxWaitMs", async () => {
    const channelId = randomUUID();
    for (let i = 0; i < 10; i++)
      await throttle({ channelId, limitPerSecond: 1, recipientKey: `r${i}`, maxWaitMs: 100_000 });
    const far = await throttle({ channelId, limitPerSecond: 1, recipientKey: "x", maxWaitMs: 2_000 });
    expect(far.isBooked).toBe(false);
    expect(far.waitMs).toBeGreaterThan(9_000);
  });

  it("allows a burst of 45 to one recipient, then one per 6 s; other recipients are not held up", async () => {
    const channelId = randomUUID();
    const waits: number[] = [];
    for (let i = 0; i < PAIR_BURST + 1; i++) {
      const slot = await throttle({
        channelId,
        limitPerSecond: 1_000_000,
        recipientKey: "4915112345678",
        maxWaitMs: 60_000,
      });
      waits.push(slot.waitMs);
    }
    expect(waits.slice(0, PAIR_BURST).every((w) => w <= 1)).toBe(true);
    expect(waits[PAIR_BURST]).toBeGreaterThan(5_000);
    const other = await throttle({
      channelId,
      limitPerSecond: 1_000_000,
      recipientKey: "4915187654321",
      maxWaitMs: 60_000,
    });
    expect(other.waitMs).toBeLessThanOrEqual(1);
  });
});

describe("slot timing and the dispatch gate", () => {
  const redis = createRedis(TEST_REDIS_URL);
  const throttle = createRedisThrottle(redis, createTestRedisPrefix());
  afterAll(() => redis.disconnect());

  it("answers a booked slot on this process's clock (dueAt), and a re-booking does not charge the recipient again", async () => {
    const channelId = randomUUID();
    const before = Date.now();
    const first = await throttle({ channelId, limitPerSecond: 10, recipientKey: "r", maxWaitMs: 10_000 });
    const firstAnsweredAt = Date.now();
    const second = await throttle({ channelId, limitPerSecond: 10, recipientKey: "other", maxWaitMs: 10_000 });
    const secondAnsweredAt = Date.now();
    expect(first.dueAt).toBeGreaterThanOrEqual(before - 5);
    expect(first.dueAt).toBeLessThanOrEqual(firstAnsweredAt + 5);
    // 10/s × 0.97 → the next slot ~103 ms later, on the same clock (later only if it was booked after that).
    expect(second.dueAt! - first.dueAt!).toBeGreaterThan(95);
    expect(second.dueAt!).toBeLessThanOrEqual(Math.max(first.dueAt! + 1000 / 9.7, secondAnsweredAt) + 5);
    // The pair allows 45 at once; 60 re-bookings with isPairHeld leave it untouched.
    const pairChannel = randomUUID();
    for (let i = 0; i < 60; i++) {
      await throttle({
        channelId: pairChannel,
        limitPerSecond: 1_000_000,
        recipientKey: "4915100000001",
        maxWaitMs: 60_000,
        isPairHeld: true,
      });
    }
    const fresh = await throttle({
      channelId: pairChannel,
      limitPerSecond: 1_000_000,
      recipientKey: "4915100000001",
      maxWaitMs: 60_000,
    });
    expect(fresh.isBooked).toBe(true);
  });

  it("never lets one process send more than the limit within 1 s + jitter, however bunched the callers are", async () => {
    // On a fake clock: each caller is stamped at the instant the gate lets it through (on the real clock a busy
    // machine would stamp some of them late).
    vi.useFakeTimers({ toFake: ["Date", "setTimeout"] });
    const gate = createDispatchGate(40);
    const sentAt: number[] = [];
    try {
      // 30 callers at once against a limit of 10/s: they go out in three waves, ≥ 1,040 ms apart.
      const all = Promise.all(Array.from({ length: 30 }, () => gate("ch", 10).then(() => sentAt.push(Date.now()))));
      await vi.advanceTimersByTimeAsync(5_000);
      await all;
    } finally {
      vi.useRealTimers();
    }
    expect(sentAt).toHaveLength(30);
    sentAt.sort((a, b) => a - b);
    for (let i = 10; i < sentAt.length; i++) expect(sentAt[i]! - sentAt[i - 10]!).toBeGreaterThanOrEqual(1_040);
    // Another number has its own count: it passes at once, without waiting on a timer.
    let isThrough = false;
    void gate("other", 10).then(() => (isThrough = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(isThrough).toBe(true);
  }, 10_000);
});

describe("outbound backoff", () => {
  it("grows exponentially with jitter and is capped", () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const full = Math.min(300_000, 1_000 * 2 ** (attempt - 1));
      const d = computeOutboundBackoff(attempt, "outbound", new RetryableSendError("graph", "5xx"));
      expect(d).toBeGreaterThanOrEqual(full / 2);
      expect(d).toBeLessThanOrEqual(full);
    }
  });
  it("honours a named wait and Meta's 4^X for 131056", () => {
    expect(
      computeOutboundBackoff(1, "outbound", new RetryableSendError("rate_limited", "x", 6_000)),
    ).toBeGreaterThanOrEqual(6_000);
    const pair = computeOutboundBackoff(3, "outbound", new RetryableSendError("graph", "pair", undefined, 131056));
    expect(pair).toBeGreaterThanOrEqual(16_000);
    expect(pair).toBeLessThanOrEqual(32_000);
  });
});
