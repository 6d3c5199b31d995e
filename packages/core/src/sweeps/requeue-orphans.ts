import type { Db } from "@inbox/db";
import { enqueueInTransaction, jobIdFor, type OutboxEntry } from "@inbox/jobs";

/** What every sweep needs from the worker: a database, BullMQ's view of live jobs, the relay's poke, a clock. */
export interface SweepDeps {
  db: Db;
  /** Of these ids, the ones that still have a live job (waiting, delayed, active): they are only waiting their turn. */
  withLiveJob: (ids: string[]) => Promise<Set<string>>;
  onOutboxWritten: () => void;
  clock: () => Date;
}

/**
 * The common end of a sweep: of the candidates (ids without an undispatched outbox row), those without a live
 * job get a fresh job through the outbox. The job id carries the sweep time, so it never collides with the lost
 * one; the handlers skip work that is already done, so a late duplicate changes nothing.
 */
export async function requeueOrphans(
  deps: SweepDeps,
  candidates: string[],
  now: Date,
  jobFor: (id: string) => Pick<OutboxEntry, "name" | "payload">,
): Promise<{ requeued: string[] }> {
  if (candidates.length === 0) return { requeued: [] };
  const live = await deps.withLiveJob(candidates);
  const orphans = candidates.filter((id) => !live.has(id));
  if (orphans.length === 0) return { requeued: [] };
  const stamp = now.getTime();
  await deps.db.$transaction(async (tx) => {
    await enqueueInTransaction(
      tx,
      orphans.map((id) => {
        const job = jobFor(id);
        return { ...job, jobId: jobIdFor(job.name, `${id}-sweep-${stamp}`) };
      }),
    );
  });
  deps.onOutboxWritten();
  return { requeued: orphans };
}
