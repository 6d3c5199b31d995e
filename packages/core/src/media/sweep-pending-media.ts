import { Prisma, type Db } from "@inbox/db";
import { enqueueInTransaction } from "@inbox/jobs";
import { sqlTimestamp } from "../inbound/sql";

export interface SweepPendingMediaDeps {
  db: Db;
  /** Asset ids (of `ids`) that still have a live `media.download` job. */
  withLiveJob: (ids: string[]) => Promise<Set<string>>;
  onOutboxWritten?: () => void;
  clock?: () => Date;
}

export interface SweepPendingMediaOptions {
  /** A customer's media still `pending` this long is a candidate (default 10 min: longer than all download retries). */
  pendingForMs?: number;
  limit?: number;
}

export const DEFAULT_SWEEP_PENDING_MEDIA_MS = 10 * 60_000;

/**
 * Customer media whose download job is gone (lost with Redis data, or failed for a non-Graph reason) gets a fresh
 * `media.download` job through the outbox. Media with a live job or an undispatched outbox row is left alone; the
 * download itself skips an asset that is already stored, so a late duplicate changes nothing.
 */
export async function sweepPendingMedia(deps: SweepPendingMediaDeps, options: SweepPendingMediaOptions = {}): Promise<{ requeued: string[] }> {
  const now = (deps.clock ?? (() => new Date()))();
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
  if (candidates.length === 0) return { requeued: [] };
  const live = await deps.withLiveJob(candidates.map((c) => c.id));
  const orphans = candidates.map((c) => c.id).filter((id) => !live.has(id));
  if (orphans.length === 0) return { requeued: [] };
  const stamp = now.getTime();
  await deps.db.$transaction(async (tx) => {
    await enqueueInTransaction(
      tx,
      orphans.map((id) => ({ name: "media.download" as const, payload: { mediaAssetId: id }, jobId: `media.download-${id}-sweep-${stamp}` })),
    );
  });
  deps.onOutboxWritten?.();
  return { requeued: orphans };
}
