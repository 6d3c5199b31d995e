import type { Redis } from "ioredis";

/** A user counts as online while some api instance has refreshed them within this time. */
const PRESENCE_TTL_MS = 75_000;
/** How often an api instance refreshes the users it has sockets for (well inside the TTL). */
export const PRESENCE_HEARTBEAT_MS = 30_000;

function presenceKey(prefix: string): string {
  return `${prefix}:presence`;
}

/**
 * Who has the console open: a sorted set of user ids scored by the last refresh, shared by all api instances.
 * An instance refreshes the users connected to it every PRESENCE_HEARTBEAT_MS, so a crashed instance's users go
 * offline by themselves after PRESENCE_TTL_MS.
 */
export function createPresence(redis: Redis, prefix: string, clock: () => number = Date.now) {
  const key = presenceKey(prefix);
  return {
    async touch(userIds: string[]): Promise<void> {
      if (userIds.length === 0) return;
      const now = clock();
      await redis.zadd(key, ...userIds.flatMap((id) => [now, id]));
    },
    /** The user closed their last socket on this instance (another instance's heartbeat brings them back). */
    async leave(userId: string): Promise<void> {
      await redis.zrem(key, userId);
    },
    async online(): Promise<string[]> {
      const cutoff = clock() - PRESENCE_TTL_MS;
      await redis.zremrangebyscore(key, "-inf", `(${cutoff}`);
      return redis.zrangebyscore(key, cutoff, "+inf");
    },
  };
}
