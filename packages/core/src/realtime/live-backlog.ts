import type { Redis } from "ioredis";
import { LiveEnvelopeSchema, type LiveEnvelope } from "@inbox/contracts";
import { liveBacklogKey, liveSeqKey } from "./live-publisher";

/**
 * Reads the last `LIVE_BACKLOG` envelopes: a sorted set scored by seq that the publisher fills in the same pipeline
 * as it publishes (`createLivePublisher`), so a console that reconnects can catch up.
 */
export function createLiveBacklog(redis: Redis, prefix: string) {
  const key = liveBacklogKey(prefix);
  const seqKey = liveSeqKey(prefix);
  return {
    /** The sequence number of the newest published envelope (0 before the first). */
    async currentSeq(): Promise<number> {
      return Number((await redis.get(seqKey)) ?? 0);
    },
    /** Envelopes after `seq` (ascending), and whether the backlog still reaches back to it. */
    async since(seq: number): Promise<{ envelopes: LiveEnvelope[]; complete: boolean; currentSeq: number }> {
      const [rows, oldest, current] = await Promise.all([
        redis.zrangebyscore(key, `(${seq}`, "+inf"),
        redis.zrange(key, 0, 0, "WITHSCORES"),
        redis.get(seqKey),
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
