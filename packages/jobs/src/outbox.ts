import { randomUUID } from "node:crypto";
import { pgSql, Prisma, prismaSql, type Db, type DbTx, type RunSql, type SqlSource } from "@inbox/db";
import type { Logger } from "@inbox/logger";
import { jobIdFor } from "./job-ids";
import { JOB_SCHEMAS, type JobName, type JobPayload } from "./names";
import type { JobQueues } from "./queues";

export interface OutboxEntry<N extends JobName = JobName> {
  name: N;
  payload: JobPayload<N>;
  /** Stable id (`jobIdFor`), so the same logical job is enqueued once even when drained twice; random when omitted. */
  jobId?: string;
  delayMs?: number;
}

/**
 * Records jobs in the caller's transaction. They reach Redis only after the transaction commits, via
 * `drainOutbox`; if Redis is down they wait in Postgres, so nothing the webhook acknowledged is lost.
 */
export async function enqueueInTransaction(tx: DbTx, entries: OutboxEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const now = Date.now();
  await tx.outboxJob.createMany({ data: entries.map((e) => outboxRowOf(e, now)), skipDuplicates: true });
}

/** The outbox row of an entry (payload checked against its job's schema): for statements that write it themselves. */
export function outboxRowOf(entry: OutboxEntry, nowMs: number) {
  return {
    name: entry.name,
    payload: JOB_SCHEMAS[entry.name].parse(entry.payload) as Prisma.InputJsonObject,
    jobId: entry.jobId ?? jobIdFor(entry.name, randomUUID()),
    availableAt: new Date(nowMs + (entry.delayMs ?? 0)),
  };
}

export interface DrainResult {
  dispatched: number;
  failed: number;
}

/** Prisma alone, or Prisma plus the plain pg pool the outbox statements then run on. */
export type OutboxSource = Db | SqlSource;
const runOf = (source: OutboxSource): RunSql =>
  "$transaction" in source ? prismaSql(source) : source.pool ? pgSql(source.pool) : prismaSql(source.db);

/**
 * How long a drain holds the rows it claimed: longer than handing them to Redis ever takes. A relay that dies
 * before marking them dispatched leaves them to the next drain after this.
 */
const OUTBOX_CLAIM_MS = 30_000;

/**
 * Moves due outbox rows to BullMQ. Safe to run from several processes, and holds no transaction (nor a pooled
 * connection) while Redis takes the jobs: one statement claims the rows (SKIP LOCKED: concurrent drains take
 * different rows; `claimedUntil`: a row another drain is handing over is left to it), Redis takes them, and a second
 * statement marks them dispatched. Nothing is lost: a row is marked only after Redis took it. A failure releases the
 * claim for the next drain; a relay that dies in between holds its rows until the claim runs out (OUTBOX_CLAIM_MS),
 * then another hands them over again — BullMQ's job ids make that second add no second job.
 */
export async function drainOutbox(
  source: OutboxSource,
  queues: JobQueues,
  log: Logger,
  batchSize = 500,
): Promise<DrainResult> {
  const run = runOf(source);
  const claimed = await run<{ id: string; name: string; payload: unknown; jobId: string; availableAt: Date }>(
    Prisma.sql`
      UPDATE "OutboxJob" o
         SET "claimedUntil" = (clock_timestamp() AT TIME ZONE 'UTC') + ${OUTBOX_CLAIM_MS} * interval '1 millisecond'
        FROM (SELECT id FROM "OutboxJob"
               WHERE "dispatchedAt" IS NULL AND "availableAt" <= (now() AT TIME ZONE 'UTC') + interval '5 minutes'
                 AND ("claimedUntil" IS NULL OR "claimedUntil" < (clock_timestamp() AT TIME ZONE 'UTC'))
               ORDER BY id LIMIT ${batchSize} FOR UPDATE SKIP LOCKED) due
       WHERE o.id = due.id
      RETURNING o.id::text AS id, o.name, o.payload, o."jobId", o."availableAt"`,
  );
  if (claimed.length === 0) return { dispatched: 0, failed: 0 };
  // In the order they were written (RETURNING keeps none).
  const rows = claimed.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  const ids = rows.map((r) => r.id);
  try {
    await queues.addBulk(
      rows.map((r) => ({
        name: r.name as JobName,
        payload: r.payload as JobPayload<JobName>,
        jobId: r.jobId,
        delayMs: Math.max(0, r.availableAt.getTime() - Date.now()),
      })),
    );
  } catch (error) {
    log.warn({ err: error, count: rows.length }, "outbox: Redis unavailable, jobs stay in Postgres");
    const message = error instanceof Error ? error.message : String(error);
    await run(Prisma.sql`
      UPDATE "OutboxJob" SET attempts = attempts + 1, "lastError" = ${message}, "claimedUntil" = NULL
       WHERE id = ANY(${ids}::bigint[]) RETURNING id`);
    return { dispatched: 0, failed: rows.length };
  }
  await run(Prisma.sql`
    UPDATE "OutboxJob" SET "dispatchedAt" = (clock_timestamp() AT TIME ZONE 'UTC'), "claimedUntil" = NULL
     WHERE id = ANY(${ids}::bigint[]) RETURNING id`);
  return { dispatched: rows.length, failed: 0 };
}

/** Deletes rows dispatched more than `olderThanMs` before `now` (a day: they are BullMQ's business by then). */
export async function pruneOutbox(db: Db, now: Date, olderThanMs = 24 * 3600 * 1000): Promise<number> {
  const { count } = await db.outboxJob.deleteMany({
    where: { dispatchedAt: { lt: new Date(now.getTime() - olderThanMs) } },
  });
  return count;
}
