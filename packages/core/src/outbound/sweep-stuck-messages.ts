import { Prisma } from "@inbox/db";
import { requeueOrphans, type SweepDeps } from "../sweeps/requeue-orphans";
import { DEFAULT_RECONCILE_GRACE_MS } from "./send-deps";

/** `withLiveJob` answers which message ids still have a live `message.send` job (the worker asks BullMQ). */
export type SweepStuckMessagesDeps = SweepDeps;

export interface SweepStuckMessagesOptions {
  /** A `queued` message untouched this long is a candidate (default 10 min: twice the longest retry backoff). */
  queuedForMs?: number;
  /** A `sending` message without a wamid this long is a candidate (default the reconcile grace + 1 min). */
  sendingForMs?: number;
  /** At most this many messages per sweep (oldest first). */
  limit?: number;
}

const DEFAULT_SWEEP_QUEUED_MS = 10 * 60_000;
const DEFAULT_SWEEP_SENDING_MS = DEFAULT_RECONCILE_GRACE_MS + 60_000;

/**
 * Finds outbound messages no job will ever pick up again and gives each a fresh `message.send` job (outbox, so it
 * survives a Redis outage):
 * - `queued` on an active channel for `queuedForMs` — e.g. its job failed all attempts for a non-Graph reason
 *   (Postgres down) or was lost with Redis; the new job sends it normally;
 * - `sending` without a wamid for `sendingForMs` — the job died mid-send and is gone; the new job reconciles it
 *   exactly as a retry would (status webhook linked meanwhile → done; otherwise `failed` / delivery_unconfirmed,
 *   never re-sent).
 * Messages of paused channels stay for resumeChannel; messages with a live job or an undispatched outbox row are
 * left alone. Idempotent: the job id carries the sweep time, and a message sent by a duplicate job is skipped.
 */
export async function sweepStuckMessages(
  deps: SweepStuckMessagesDeps,
  options: SweepStuckMessagesOptions = {},
): Promise<{ requeued: string[] }> {
  const now = deps.clock();
  const queuedBefore = new Date(now.getTime() - (options.queuedForMs ?? DEFAULT_SWEEP_QUEUED_MS));
  const sendingBefore = new Date(now.getTime() - (options.sendingForMs ?? DEFAULT_SWEEP_SENDING_MS));
  const limit = options.limit ?? 500;
  const candidates = await deps.db.$queryRaw<{ id: string }[]>(stuckMessagesSql(queuedBefore, sendingBefore, limit));
  return requeueOrphans(
    deps,
    candidates.map((c) => c.id),
    now,
    (messageId) => ({ name: "message.send", payload: { messageId } }),
  );
}

/**
 * The sweep's candidates, oldest first: found along the partial `Message(status, statusAt)` index, which holds only
 * queued and sending messages (key-lookups.test.ts checks the plan).
 */
export function stuckMessagesSql(queuedBefore: Date, sendingBefore: Date, limit: number): Prisma.Sql {
  return Prisma.sql`
    SELECT m."id" FROM "Message" AS m JOIN "Channel" AS c ON c."id" = m."channelId"
    WHERE m."direction" = 'outbound' AND m."isPrivate" = false AND m."externalId" IS NULL
      AND (
        (m."status" = 'queued' AND c."status" = 'active' AND m."statusAt" < ${queuedBefore})
        OR (m."status" = 'sending' AND COALESCE(m."sendStartedAt", m."statusAt") < ${sendingBefore})
      )
      AND NOT EXISTS (
        SELECT 1 FROM "OutboxJob" AS o
        WHERE o."dispatchedAt" IS NULL AND o."name" = 'message.send' AND o."payload"->>'messageId' = m."id"::text
      )
    ORDER BY m."statusAt" LIMIT ${limit}`;
}
