import { Prisma, sqlTimestamp } from "@inbox/db";
import { requeueOrphans, type SweepDeps } from "../sweeps/requeue-orphans";

/** `withLiveJob` answers which asset ids still have a live `media.download` job. */
export type SweepPendingMediaDeps = SweepDeps;

export interface SweepPendingMediaOptions {
  /** A customer's media still `pending` this long is a candidate (default 10 min: longer than all download retries). */
  pendingForMs?: number;
  limit?: number;
}

const DEFAULT_SWEEP_PENDING_MEDIA_MS = 10 * 60_000;

/**
 * Customer media whose download job is gone (lost with Redis data, or failed for a non-Graph reason) gets a fresh
 * `media.download` job through the outbox. Media with a live job or an undispatched outbox row is left alone; the
 * download itself skips an asset that is already stored, so a late duplicate changes nothing.
 */
export async function sweepPendingMedia(
  deps: SweepPendingMediaDeps,
  options: SweepPendingMediaOptions = {},
): Promise<{ requeued: string[] }> {
  const now = deps.clock();
  const before = new Date(now.getTime() - (options.pendingForMs ?? DEFAULT_SWEEP_PENDING_MEDIA_MS));
  const candidates = await deps.db.$queryRaw<{ id: string }[]>(Prisma.sql`
    SELECT a.id FROM "MediaAsset" a JOIN "Message" m ON m.id = a."messageId"
    WHERE a.status = 'pending' AND m.direction = 'inbound' AND a."providerMediaId" IS NOT NULL
      AND a."createdAt" < ${sqlTimestamp(before)}
      AND NOT EXISTS (
        SELECT 1 FROM "OutboxJob" o
        WHERE o."dispatchedAt" IS NULL AND o.name = 'media.download' AND o.payload->>'mediaAssetId' = a.id::text
      )
    ORDER BY a."createdAt" LIMIT ${options.limit ?? 500}`);
  return requeueOrphans(
    deps,
    candidates.map((c) => c.id),
    now,
    (mediaAssetId) => ({ name: "media.download", payload: { mediaAssetId } }),
  );
}
