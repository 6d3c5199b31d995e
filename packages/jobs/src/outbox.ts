import { randomUUID } from "node:crypto";
import { Prisma, withPooledTransaction, type Db, type DbTx, type SqlSource } from "@inbox/db";
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
const sourceOf = (source: OutboxSource): SqlSource => ("$transaction" in source ? { db: source } : source);

interface OutboxRow {
  id: string;
  name: string;
  payload: unknown;
  jobId: string;
  availableAt: Date;
}

/** Due rows not yet handed over, locked for this transaction (other drains skip them). No parameters: see below. */
function claimSql(batchSize: number): string {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`outbox batch size ${batchSize}`);
  return `SELECT id::text AS id, name, payload, "jobId", "availableAt" FROM "OutboxJob"
    WHERE "dispatchedAt" IS NULL AND "availableAt" <= (now() AT TIME ZONE 'UTC') + interval '5 minutes'
    ORDER BY id LIMIT ${batchSize} FOR UPDATE SKIP LOCKED`;
}

/** Marks the claimed rows dispatched. The ids are the rows' own bigint ids (digits only), written into the text. */
function markDispatchedSql(ids: string[]): string {
  if (!ids.every((id) => /^\d+$/.test(id))) throw new Error("outbox row ids must be integers");
  return `UPDATE "OutboxJob" SET "dispatchedAt" = (clock_timestamp() AT TIME ZONE 'UTC')
    WHERE id = ANY('{${ids.join(",")}}'::bigint[])`;
}

const markFailedSql = (ids: string[], message: string) => Prisma.sql`
  UPDATE "OutboxJob" SET attempts = attempts + 1, "lastError" = ${message} WHERE id = ANY(${ids}::bigint[])`;

/**
 * Moves due outbox rows to BullMQ. Safe to run from several processes: rows are claimed with SKIP LOCKED and
 * marked dispatched in the same transaction, after Redis took them (a failure leaves them for the next drain).
 * On the plain pg pool the transaction costs two round trips besides Redis (`BEGIN; <claim>`, `<mark>; COMMIT`, as
 * simple queries): every agent's reply writes an outbox row and sets off a drain of its own.
 */
export async function drainOutbox(
  source: OutboxSource,
  queues: JobQueues,
  log: Logger,
  batchSize = 500,
): Promise<DrainResult> {
  const { db, pool } = sourceOf(source);
  if (pool) {
    return withPooledTransaction(pool, async (client) => {
      const [, claimed] = (await client.query(`BEGIN; ${claimSql(batchSize)}`)) as unknown as [
        unknown,
        { rows: OutboxRow[] },
      ];
      const rows = claimed.rows;
      if (rows.length === 0) {
        await client.query("COMMIT");
        return { dispatched: 0, failed: 0 };
      }
      const failure = await handOver(rows, queues, log);
      if (failure !== null) {
        const failed = markFailedSql(
          rows.map((r) => r.id),
          failure,
        );
        await client.query(failed.text, failed.values);
        await client.query("COMMIT");
        return { dispatched: 0, failed: rows.length };
      }
      await client.query(`${markDispatchedSql(rows.map((r) => r.id))}; COMMIT`);
      return { dispatched: rows.length, failed: 0 };
    });
  }
  return db.$transaction(
    async (tx) => {
      const rows = await tx.$queryRaw<OutboxRow[]>(Prisma.raw(claimSql(batchSize)));
      if (rows.length === 0) return { dispatched: 0, failed: 0 };
      const ids = rows.map((r) => r.id);
      const failure = await handOver(rows, queues, log);
      if (failure !== null) {
        await tx.$executeRaw(markFailedSql(ids, failure));
        return { dispatched: 0, failed: rows.length };
      }
      await tx.$executeRaw(Prisma.raw(markDispatchedSql(ids)));
      return { dispatched: rows.length, failed: 0 };
    },
    { timeout: 30_000 },
  );
}

/** Adds the claimed rows' jobs to BullMQ; the error message when Redis did not take them (null: all taken). */
async function handOver(rows: OutboxRow[], queues: JobQueues, log: Logger): Promise<string | null> {
  try {
    await queues.addBulk(
      rows.map((r) => ({
        name: r.name as JobName,
        payload: r.payload as JobPayload<JobName>,
        jobId: r.jobId,
        delayMs: Math.max(0, r.availableAt.getTime() - Date.now()),
      })),
    );
    return null;
  } catch (error) {
    log.warn({ err: error, count: rows.length }, "outbox: Redis unavailable, jobs stay in Postgres");
    return error instanceof Error ? error.message : String(error);
  }
}

/** Deletes rows dispatched more than `olderThanMs` before `now` (a day: they are BullMQ's business by then). */
export async function pruneOutbox(db: Db, now: Date, olderThanMs = 24 * 3600 * 1000): Promise<number> {
  const { count } = await db.outboxJob.deleteMany({
    where: { dispatchedAt: { lt: new Date(now.getTime() - olderThanMs) } },
  });
  return count;
}
