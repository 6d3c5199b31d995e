import type { Redis } from "ioredis";
import { LiveEnvelopeSchema, type LiveEnvelope } from "@inbox/contracts";
import { liveSeqKey } from "./live-publisher";

export function liveBacklogKey(prefix: string): string {
  return `${prefix}:live-backlog`;
}

/**
 * The last `size` envelopes, in a sorted set scored by seq. Every api instance records what it receives; the same
 * envelope JSON is the same member, so several instances store it once.
 */
export function createLiveBacklog(redis: Redis, prefix: string, size: number) {
  const key = liveBacklogKey(prefix);
  return {
    async record(envelope: LiveEnvelope): Promise<void> {
      await redis
        .multi()
        .zadd(key, envelope.seq, JSON.stringify(envelope))
        .zremrangebyrank(key, 0, -(size + 1))
        .exec();
    },
    /** Envelopes after `seq` (ascending), and whether the backlog still reaches back to it. */
    async since(seq: number): Promise<{ envelopes: LiveEnvelope[]; complete: boolean; currentSeq: number }> {
      const [rows, oldest, current] = await Promise.all([
        redis.zrangebyscore(key, `(${seq}`, "+inf"),
        redis.zrange(key, 0, 0, "WITHSCORES"),
        redis.get(liveSeqKey(prefix)),
      ]);
      const envelopes = rows.flatMap((row) => {
        const parsed = LiveEnvelopeSchema.safeParse(JSON.parse(row));
        return parsed.success ? [parsed.data] : [];
      });
      const oldestSeq = oldest[1] !== undefined ? Number(oldest[1]) : null;
      const currentSeq = Number(current ?? 0);
      const complete = seq >= currentSeq || (oldestSeq !== null && oldestSeq <= seq + 1);
      return { envelopes, complete, currentSeq };
    },
  };
}
export type LiveBacklog = ReturnType<typeof createLiveBacklog>;
