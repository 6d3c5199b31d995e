import { createHash } from "node:crypto";
import type { Throttle } from "@inbox/core";
import type { Redis } from "ioredis";

/** Meta's pair rate limit: 1 message per 6 s to the same user, bursts up to 45. */
const PAIR_INTERVAL_MS = 6_000;
export const PAIR_BURST = 45;
/**
 * Slots are spaced at limit × 0.97, no burst. Meta (and the simulator) count messages in a sliding second, so
 * what matters is when requests *arrive*, not when slots were booked: with this spacing, any 1,000 ms window holds
 * at most `limit` arrivals as long as each request leaves at most (1000 / (limit × 0.97) × limit − 1000) ≈ 31 ms
 * after its slot (lateness + network jitter together). Timers fire late when the process is busy, so two more
 * guards sit in the send path (sendQueuedMessage): a slot missed by more than MAX_SLOT_LATENESS_MS is re-booked,
 * and the per-process dispatch gate (createDispatchGate) counts this process's actual send times.
 */
const THROUGHPUT_SAFETY = 0.97;
/**
 * Beyond this, a missed slot is re-booked (protects the spacing between several worker processes). It must stay
 * well under the spacing's ~31 ms margin, which also has to cover the request's way to Meta: at 50 ms, two workers
 * sharing a number met 130429 for 0–5 of 160 replies (apps/cli/src/scale-out.test.ts) and one worker for ~100 of
 * 15,000 in `bench outbound` (b); at 20 ms, none and 12–24, at the same sustained rate (at 10 ms the re-booked slots
 * cost (b) its 95 %). docs/performance.md, "Outbound".
 */
export const MAX_SLOT_LATENESS_MS = 20;
/** Network jitter allowed for by the dispatch gate: it counts `limit` sends per (1,000 + this) ms. */
const DISPATCH_JITTER_MS = 30;

// GCRA with reservations, for the phone number and the recipient pair together. Each call books the earliest
// slot of the number and answers how long to wait for it, so waiters never poll and no capacity is lost between
// polls. Nothing is booked when the recipient's pair limit says "later" or the number's slot is further away than
// maxWaitMs; the caller asks again after the answered wait. Time comes from Redis, so every worker process shares
// one clock; the answer also carries Redis's "now" and the slot's absolute time, so the caller can place the slot
// on its own clock. ARGV[6] = "1": the recipient already holds a pair slot (re-booking a missed number slot).
const SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local chInterval, chTol = tonumber(ARGV[1]), tonumber(ARGV[2])
local prInterval, prTol = tonumber(ARGV[3]), tonumber(ARGV[4])
local maxWait = tonumber(ARGV[5])
local pairHeld = ARGV[6] == '1'
local prTat = math.max(tonumber(redis.call('GET', KEYS[2]) or 0), now)
if not pairHeld then
  local prAt = prTat - prTol
  -- The recipient must wait: book nothing (the number's slots stay free for others); ask again then.
  if prAt > now then return {0, tostring(prAt - now), tostring(now)} end
end
local chTat = math.max(tonumber(redis.call('GET', KEYS[1]) or 0), now)
local at = math.max(now, chTat - chTol)
local wait = at - now
if wait > maxWait then return {0, tostring(wait), tostring(now)} end
redis.call('SET', KEYS[1], tostring(chTat + chInterval), 'PX', math.ceil(wait + chTol + chInterval) + 1000)
if not pairHeld then
  redis.call('SET', KEYS[2], tostring(prTat + prInterval), 'PX', math.ceil(prTol + prInterval) + 1000)
end
return {1, tostring(wait), tostring(now)}
`;

type ScriptedRedis = Redis & {
  inboxBookSlot(chKey: string, pairKey: string, ...args: string[]): Promise<[number, string, string]>;
};

/**
 * Offset between this process's clock and Redis's (Cristian's algorithm): local − redis, from the sample with the
 * shortest round trip seen recently. On one host it is ~0; across hosts it is whatever NTP leaves.
 */
class ClockOffset {
  private best = { rtt: Number.POSITIVE_INFINITY, offset: 0, at: 0 };
  update(sentAt: number, receivedAt: number, redisNow: number): number {
    const rtt = receivedAt - sentAt;
    // Forget the best sample after a minute so clock drift is followed.
    if (rtt <= this.best.rtt || receivedAt - this.best.at > 60_000) {
      this.best = { rtt, offset: (sentAt + receivedAt) / 2 - redisNow, at: receivedAt };
    }
    return this.best.offset;
  }
}

/**
 * Redis rate limiter keyed by channel id (Channel.throughputLimit per second, no burst) and by channel + hashed
 * recipient (Meta's pair limit; no phone numbers in Redis keys). Shared by every worker process on the same Redis.
 * A booked slot comes back as `dueAt` on this process's clock (Date.now()).
 */
export function createRedisThrottle(redis: Redis, prefix: string): Throttle {
  const clock = new ClockOffset();
  // EVALSHA (ioredis loads the script once per connection): not the script's text on every booking.
  if (!("inboxBookSlot" in redis)) redis.defineCommand("inboxBookSlot", { numberOfKeys: 2, lua: SCRIPT });
  const scripted = redis as ScriptedRedis;
  return async ({ channelId, limitPerSecond, recipientKey, maxWaitMs, isPairHeld }) => {
    const interval = 1000 / Math.max(0.1, limitPerSecond * THROUGHPUT_SAFETY);
    const pair = createHash("sha256").update(`${channelId}:${recipientKey}`).digest("hex").slice(0, 24);
    const sentAt = Date.now();
    const [booked, wait, redisNow] = await scripted.inboxBookSlot(
      `${prefix}:rl:ch:${channelId}`,
      `${prefix}:rl:pair:${pair}`,
      String(interval),
      "0",
      String(PAIR_INTERVAL_MS),
      String((PAIR_BURST - 1) * PAIR_INTERVAL_MS),
      String(Number.isFinite(maxWaitMs) ? maxWaitMs : 1e15),
      isPairHeld ? "1" : "0",
    );
    const receivedAt = Date.now();
    const waitMs = Number(wait);
    if (booked !== 1) return { isBooked: false, waitMs: Math.ceil(waitMs) };
    const offset = clock.update(sentAt, receivedAt, Number(redisNow));
    return { isBooked: true, waitMs: Math.ceil(waitMs), dueAt: Number(redisNow) + waitMs + offset };
  };
}

/**
 * Per-process gate on actual send times: at most `limit` requests per number in any (1,000 + jitter) ms. Whatever
 * the timers did, this process never puts more than Meta's limit into one sliding second, provided a request takes
 * less than `jitterMs` longer than another to reach Meta. No Redis round trip: it only sees this process's sends
 * (several processes rely on the shared slot spacing).
 */
export function createDispatchGate(
  jitterMs = DISPATCH_JITTER_MS,
): (channelId: string, limitPerSecond: number) => Promise<void> {
  const windowMs = 1000 + jitterMs;
  const logs = new Map<string, { times: number[]; start: number }>();
  return async (channelId, limitPerSecond) => {
    let log = logs.get(channelId);
    if (!log) {
      log = { times: [], start: 0 };
      logs.set(channelId, log);
    }
    const limit = Math.max(1, Math.floor(limitPerSecond));
    for (;;) {
      const now = Date.now();
      while (log.start < log.times.length && log.times[log.start]! <= now - windowMs) log.start++;
      if (log.start > 1024) {
        log.times = log.times.slice(log.start);
        log.start = 0;
      }
      if (log.times.length - log.start < limit) {
        log.times.push(now);
        return;
      }
      const oldest = log.times[log.start]!;
      await new Promise((resolve) => setTimeout(resolve, oldest + windowMs - now + 1));
    }
  };
}
