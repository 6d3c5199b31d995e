import type { RetentionCategory } from "@inbox/contracts";
import { Prisma, sqlTimestamp, type Db, type DbTx } from "@inbox/db";
import type { Logger } from "@inbox/logger";
import { recordAudit } from "../audit/record-audit";
import type { MediaStore } from "../media/media-store";
import { isContactHeldSql, isHeldSql } from "./legal-holds";
import { findEffectivePolicies, type EffectivePolicy } from "./list-retention-policies";
import { DAY_MS } from "./retention-rules";
import { BatchPacer, DEFAULT_RETENTION_PACING, type RetentionPacing } from "./batch-pacer";

export interface RunRetentionDeps {
  db: Db;
  media: MediaStore;
  log: Logger;
  clock?: () => Date;
  /** How batches share the database with live traffic (DEFAULT_RETENTION_PACING when not given). */
  pacing?: Partial<RetentionPacing>;
}

interface RetentionLine {
  category: RetentionCategory;
  /** null: the category's built-in default. */
  policyId: string | null;
  channelId: string | null;
  labelId: string | null;
  days: number;
  /** Rows deleted (dry run: that would be deleted). For messages: messages; conversations go in `conversations`. */
  deleted: number;
  /** Conversations (messages) or contacts kept because of a legal hold. */
  held: number;
  conversations?: number;
  mediaFiles?: number;
}

export interface RetentionReport {
  runId: string | null;
  isDryRun: boolean;
  /** Another run was in progress (a second worker, or the CLI while the schedule runs): nothing done. */
  skipped: boolean;
  lines: RetentionLine[];
  /** Statements the run paced (batches) and the time it paused between them, letting live traffic through. */
  batches: number;
  pausedMs: number;
}

/** A run that has not finished after this long is taken as crashed; the next run may start. */
const STALE_RUN_MS = 30 * 60 * 1000;
const RUN_LOCK_KEY = 0x726574656e; // "reten"
/** Conversations per page of the messages schedule (its messages are then deleted in paced batches). */
const PAGE_CONVERSATIONS = 500;

const SYSTEM = { type: "system" } as const;

/**
 * Runs every deletion schedule once: messages (and their conversations) after their conversation's resolution,
 * media, contacts without a conversation (with their web chat → WhatsApp handoffs), raw webhook payloads, expired
 * sessions and unused handoffs, delivered outbox rows. Web chat conversations and visitors are conversations and
 * contacts of their channel and follow the same policies (per channel where one is set).
 * Deletes in batches, each batch its own short transaction with its audit entry (ids, counts, policy; never
 * content), media files removed from the store first. Anything under a legal hold is skipped and counted.
 * One run at a time across all processes; a dry run only counts.
 */
export async function runRetention(deps: RunRetentionDeps, options: { dryRun: boolean }): Promise<RetentionReport> {
  const now = deps.clock?.() ?? new Date();
  const db = deps.db;
  const run = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${RUN_LOCK_KEY}::bigint)`;
    const running = await tx.retentionRun.count({
      where: { finishedAt: null, startedAt: { gt: new Date(Date.now() - STALE_RUN_MS) } },
    });
    if (running > 0) return null;
    return tx.retentionRun.create({ data: { isDryRun: options.dryRun } });
  });
  if (!run) {
    deps.log.info("retention run skipped: another run is in progress");
    return { runId: null, isDryRun: options.dryRun, skipped: true, lines: [], batches: 0, pausedMs: 0 };
  }
  const ctx: RunContext = {
    deps,
    db,
    now,
    runId: run.id,
    dryRun: options.dryRun,
    pacer: new BatchPacer({ ...DEFAULT_RETENTION_PACING, ...deps.pacing }),
  };
  const lines: RetentionLine[] = [];
  try {
    const policies = await findEffectivePolicies(db);
    const of = (c: RetentionCategory) => policies.filter((p) => p.category === c);
    lines.push(...(await runMessages(ctx, of("messages"))));
    lines.push(...(await runMedia(ctx, of("media"))));
    lines.push(...(await runContacts(ctx, of("contacts"))));
    for (const p of of("webhook_payloads")) lines.push(await runWebhookPayloads(ctx, p));
    for (const p of of("sessions")) lines.push(await runSessions(ctx, p));
    for (const p of of("outbox")) lines.push(await runOutbox(ctx, p));
  } finally {
    const summary = { lines: lines.map((l) => ({ ...l })) } as unknown as Prisma.InputJsonObject;
    await db.$transaction(async (tx) => {
      await tx.retentionRun.update({ where: { id: run.id }, data: { finishedAt: new Date(), summary } });
      if (!options.dryRun) {
        await recordAudit(tx, SYSTEM, "retention.run", "retention_run", run.id, summary);
        await tx.retentionPolicy.updateMany({ data: { lastRunAt: now } });
      }
    });
  }
  deps.log.info(
    {
      runId: run.id,
      dryRun: options.dryRun,
      deleted: lines.reduce((n, l) => n + l.deleted, 0),
      batches: ctx.pacer.batches,
      pausedMs: Math.round(ctx.pacer.pausedMs),
    },
    "retention run finished",
  );
  return {
    runId: run.id,
    isDryRun: options.dryRun,
    skipped: false,
    lines,
    batches: ctx.pacer.batches,
    pausedMs: Math.round(ctx.pacer.pausedMs),
  };
}

interface RunContext {
  deps: RunRetentionDeps;
  db: Db;
  now: Date;
  runId: string;
  dryRun: boolean;
  /** Every deleting batch of the run goes through it: adaptive size, a pause after each. */
  pacer: BatchPacer;
}

const cutoffOf = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);
const lineOf = (p: EffectivePolicy): RetentionLine => ({
  category: p.category,
  policyId: p.id,
  channelId: p.channelId,
  labelId: p.labelId,
  days: p.days,
  deleted: 0,
  held: 0,
});
const policyKey = (p: EffectivePolicy) => p.id ?? `default:${p.category}`;

/** Records one deleted batch in the caller's transaction: what, how many, which ids, by which policy. */
async function auditBatch(
  tx: DbTx,
  ctx: RunContext,
  p: EffectivePolicy,
  data: { count: number; ids: string[]; [k: string]: Prisma.InputJsonValue },
) {
  await recordAudit(tx, SYSTEM, "retention.deleted", p.category, p.id, {
    runId: ctx.runId,
    policy: policyKey(p),
    days: p.days,
    ...data,
  });
}

async function removeFiles(ctx: RunContext, keys: (string | null)[]): Promise<number> {
  let removed = 0;
  for (const key of keys) {
    if (!key) continue;
    await ctx.deps.media.delete(key);
    removed++;
  }
  return removed;
}

/**
 * One batch's statements in a transaction that plans them on indexes (`SET LOCAL enable_seqscan = off`). The planner
 * would otherwise sometimes hash-join a page of 500 ids over a sequential scan of Conversation or Message — on
 * tables of millions of rows, once per batch. Where no index serves a condition it still scans (small tables such
 * as LegalHold); the setting ends with the transaction.
 */
function onIndexes<T>(db: Db, statements: (tx: DbTx) => Promise<T>): Promise<T> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SET LOCAL enable_seqscan = off`;
    return statements(tx);
  });
}

// ───────────── messages: per conversation, counted from its resolution; the most specific policy wins ─────────────

interface Candidate {
  id: string;
  resolvedAt: Date;
  policy: string;
  isHeld: boolean;
}

/**
 * Walks the resolved conversations past the shortest period page by page, in (resolvedAt, id) order along the
 * partial `Conversation(resolvedAt, id) WHERE status = 'resolved'` index (keyset: each page starts after the last one, nothing is held in
 * memory beyond a page), and deletes each page's due conversations under the policy that governs them.
 */
async function runMessages(ctx: RunContext, policies: EffectivePolicy[]): Promise<RetentionLine[]> {
  if (policies.length === 0) return [];
  const { db, now } = ctx;
  const table = JSON.stringify(
    policies.map((p) => ({ pid: policyKey(p), channelId: p.channelId, labelId: p.labelId, days: p.days })),
  );
  const earliest = cutoffOf(now, Math.min(...policies.map((p) => p.days)));
  const lines = new Map(policies.map((p) => [policyKey(p), { ...lineOf(p), conversations: 0, mediaFiles: 0 }]));
  let after: Candidate | null = null;
  for (;;) {
    const from: Prisma.Sql = after
      ? Prisma.sql`AND (c."resolvedAt", c.id) > (${sqlTimestamp(after.resolvedAt)}, ${after.id}::uuid)`
      : Prisma.empty;
    // Each resolved conversation with the policy that governs it: a label policy before a channel policy before the
    // general one; among several matching label policies the longest period.
    const page: Candidate[] = await onIndexes(db, (tx) =>
      tx.$queryRaw<Candidate[]>(Prisma.sql`
      SELECT c.id, c."resolvedAt", best.pid AS policy, ${isHeldSql("c", now)} AS "isHeld"
        FROM "Conversation" c
        JOIN LATERAL (
          SELECT p.pid, p.days
            FROM jsonb_to_recordset(${table}::jsonb) AS p(pid text, "channelId" uuid, "labelId" uuid, days int)
           WHERE (p."channelId" IS NULL OR p."channelId" = c."channelId")
             AND (p."labelId" IS NULL OR EXISTS (
                   SELECT 1 FROM "ConversationLabel" cl WHERE cl."conversationId" = c.id AND cl."labelId" = p."labelId"))
           ORDER BY (p."labelId" IS NOT NULL) DESC, (p."channelId" IS NOT NULL) DESC, p.days DESC
           LIMIT 1
        ) best ON true
       WHERE c.status = 'resolved' AND c."resolvedAt" < ${sqlTimestamp(earliest)} ${from}
         AND c."resolvedAt" < ${sqlTimestamp(now)} - make_interval(days => best.days)
       ORDER BY c."resolvedAt", c.id
       LIMIT ${PAGE_CONVERSATIONS}`),
    );
    if (page.length === 0) break;
    after = page.at(-1)!;
    for (const p of policies) {
      const line = lines.get(policyKey(p))!;
      const mine = page.filter((c) => c.policy === policyKey(p));
      line.held += mine.filter((c) => c.isHeld).length;
      const free = mine.filter((c) => !c.isHeld).map((c) => c.id);
      if (free.length) await deleteConversations(ctx, p, free, line);
    }
    if (page.length < PAGE_CONVERSATIONS) break;
  }
  return [...lines.values()];
}

/**
 * Deletes the messages of some conversations (one policy's) batch by batch, then the conversations themselves.
 * Every statement checks again that the conversation is still resolved past its cutoff and not held: a customer who
 * writes again reopens it, and nothing of it is deleted then. Media files go before their rows.
 */
async function deleteConversations(
  ctx: RunContext,
  p: EffectivePolicy,
  ids: string[],
  line: RetentionLine & { conversations: number; mediaFiles: number },
) {
  const { db, now } = ctx;
  const still = Prisma.sql`c.status = 'resolved' AND c."resolvedAt" < ${sqlTimestamp(cutoffOf(now, p.days))}
    AND NOT ${isHeldSql("c", now)}`;
  const selected = Prisma.sql`c.id = ANY(${ids}::uuid[])`;
  // The page's conversations that are still due, as an array computed once per statement (an InitPlan): messages
  // are then found with `= ANY(array)` on their indexes, never by joining Conversation and Message (the planner
  // would hash-join them over a sequential scan of Message).
  const stillDue = Prisma.sql`ARRAY(SELECT c.id FROM "Conversation" c WHERE ${selected} AND ${still})`;
  if (ctx.dryRun) {
    const [row] = await db.$queryRaw<{ messages: bigint; conversations: bigint; media: bigint }[]>(Prisma.sql`
      SELECT count(m.id) AS messages, count(DISTINCT c.id) AS conversations, count(a.id) AS media
        FROM "Conversation" c
        LEFT JOIN "Message" m ON m."conversationId" = c.id
        LEFT JOIN "MediaAsset" a ON a."messageId" = m.id AND a."storageKey" IS NOT NULL
       WHERE ${selected} AND ${still}`);
    line.deleted += Number(row?.messages ?? 0);
    line.conversations += Number(row?.conversations ?? 0);
    line.mediaFiles += Number(row?.media ?? 0);
    return;
  }
  for (;;) {
    const handled = await ctx.pacer.run(async (size) => {
      // The next messages along Message(conversationId, createdAt), with their files (MediaAsset(messageId)).
      const rows = await onIndexes(db, (tx) =>
        tx.$queryRaw<{ id: string; storageKey: string | null }[]>(Prisma.sql`
        SELECT b.id, a."storageKey"
          FROM (SELECT m.id FROM "Message" m WHERE m."conversationId" = ANY(${stillDue}) LIMIT ${size}) b
          LEFT JOIN LATERAL (SELECT x."storageKey" FROM "MediaAsset" x
                              WHERE x."messageId" = b.id AND x."storageKey" IS NOT NULL) a ON true`),
      );
      if (rows.length === 0) return 0;
      const messageIds = [...new Set(rows.map((r) => r.id))];
      line.mediaFiles += await removeFiles(
        ctx,
        rows.map((r) => r.storageKey),
      );
      await onIndexes(db, async (tx) => {
        const gone = await tx.$queryRaw<{ conversationId: string }[]>(Prisma.sql`
          DELETE FROM "Message" m WHERE m.id = ANY(${messageIds}::uuid[]) AND m."conversationId" = ANY(${stillDue})
          RETURNING m."conversationId"`);
        line.deleted += gone.length;
        await auditBatch(tx, ctx, p, {
          count: gone.length,
          ids: [...new Set(gone.map((g) => g.conversationId))],
          what: "messages of conversations",
        });
      });
      return messageIds.length;
    });
    if (handled === 0) break;
  }
  await ctx.pacer.runFixed(() =>
    onIndexes(db, async (tx) => {
      const deleted = await tx.$queryRaw<{ id: string }[]>(Prisma.sql`
        DELETE FROM "Conversation" c
         WHERE ${selected} AND ${still}
           AND c.id <> ALL(ARRAY(SELECT DISTINCT m."conversationId" FROM "Message" m
                                  WHERE m."conversationId" = ANY(${stillDue})))
        RETURNING c.id`);
      line.conversations += deleted.length;
      // A used web chat → WhatsApp handoff is consent evidence of the contact: it stays, without the deleted links.
      if (deleted.length)
        await tx.whatsAppHandoff.updateMany({
          where: { linkedConversationId: { in: deleted.map((g) => g.id) } },
          data: { linkedConversationId: null, linkedMessageId: null },
        });
      if (deleted.length)
        await auditBatch(tx, ctx, p, { count: deleted.length, ids: deleted.map((g) => g.id), what: "conversations" });
    }),
  );
}

// ───────────── media: files and their records, counted from when they arrived ─────────────

async function runMedia(ctx: RunContext, policies: EffectivePolicy[]): Promise<RetentionLine[]> {
  const lines: RetentionLine[] = [];
  const { db, now } = ctx;
  for (const p of policies) {
    const line = lineOf(p);
    // A channel policy governs its channel; the general policy every channel without one.
    const others = policies.filter((o) => o.channelId).map((o) => o.channelId!);
    const scope = p.channelId
      ? Prisma.sql`a."channelId" = ${p.channelId}::uuid`
      : others.length
        ? Prisma.sql`a."channelId" <> ALL(${others}::uuid[])`
        : Prisma.sql`true`;
    const due = Prisma.sql`${scope} AND a."createdAt" < ${sqlTimestamp(cutoffOf(now, p.days))}`;
    const heldSql = Prisma.sql`EXISTS (SELECT 1 FROM "Message" m JOIN "Conversation" c ON c.id = m."conversationId"
      WHERE m.id = a."messageId" AND ${isHeldSql("c", now)})`;
    const [counts] = await db.$queryRaw<{ held: bigint; free: bigint }[]>(Prisma.sql`
      SELECT count(*) FILTER (WHERE ${heldSql}) AS held, count(*) FILTER (WHERE NOT ${heldSql}) AS free
        FROM "MediaAsset" a WHERE ${due}`);
    line.held = Number(counts?.held ?? 0);
    if (ctx.dryRun) {
      line.deleted = Number(counts?.free ?? 0);
    } else {
      for (;;) {
        const handled = await ctx.pacer.run(async (size) => {
          const rows = await db.$queryRaw<{ id: string; storageKey: string | null }[]>(Prisma.sql`
            SELECT a.id, a."storageKey" FROM "MediaAsset" a WHERE ${due} AND NOT ${heldSql} LIMIT ${size}`);
          if (rows.length === 0) return 0;
          await removeFiles(
            ctx,
            rows.map((r) => r.storageKey),
          );
          await db.$transaction(async (tx) => {
            const gone = await tx.$queryRaw<{ id: string }[]>(Prisma.sql`
              DELETE FROM "MediaAsset" a WHERE a.id = ANY(${rows.map((r) => r.id)}::uuid[]) AND NOT ${heldSql} RETURNING a.id`);
            line.deleted += gone.length;
            await auditBatch(tx, ctx, p, { count: gone.length, ids: gone.map((g) => g.id) });
          });
          return rows.length;
        });
        if (handled === 0) break;
      }
    }
    lines.push(line);
  }
  return lines;
}

// ───────────── contacts: no conversation for N days ─────────────

async function runContacts(ctx: RunContext, policies: EffectivePolicy[]): Promise<RetentionLine[]> {
  const lines: RetentionLine[] = [];
  const { db, now } = ctx;
  for (const p of policies) {
    const line = { ...lineOf(p), mediaFiles: 0 };
    const others = policies.filter((o) => o.channelId).map((o) => o.channelId!);
    const scope = p.channelId
      ? Prisma.sql`k."channelId" = ${p.channelId}::uuid`
      : others.length
        ? Prisma.sql`k."channelId" <> ALL(${others}::uuid[])`
        : Prisma.sql`true`;
    const cutoff = sqlTimestamp(cutoffOf(now, p.days));
    const due = Prisma.sql`${scope} AND k."createdAt" < ${cutoff} AND coalesce(k."lastSeenAt", k."createdAt") < ${cutoff}
      AND NOT EXISTS (SELECT 1 FROM "Conversation" c WHERE c."contactId" = k.id
                        AND (c."lastMessageAt" >= ${cutoff} OR c.status <> 'resolved' OR c."resolvedAt" >= ${cutoff}))`;
    const heldSql = isContactHeldSql("k", now);
    const [counts] = await db.$queryRaw<{ held: bigint; free: bigint }[]>(Prisma.sql`
      SELECT count(*) FILTER (WHERE ${heldSql}) AS held, count(*) FILTER (WHERE NOT ${heldSql}) AS free
        FROM "Contact" k WHERE ${due}`);
    line.held = Number(counts?.held ?? 0);
    if (ctx.dryRun) {
      line.deleted = Number(counts?.free ?? 0);
    } else {
      // Along the primary key, each batch after the last one: one pass over the contacts in all.
      let after: string | null = null;
      for (;;) {
        const handled = await ctx.pacer.run(async (size) => {
          // A contact's delete takes its conversations and messages with it: a tenth of a messages batch.
          const from = after ? Prisma.sql`AND k.id > ${after}::uuid` : Prisma.empty;
          const ids = (
            await db.$queryRaw<{ id: string }[]>(Prisma.sql`
              SELECT k.id FROM "Contact" k WHERE ${due} AND NOT ${heldSql} ${from}
               ORDER BY k.id LIMIT ${Math.max(1, Math.floor(size / 10))}`)
          ).map((r) => r.id);
          if (ids.length === 0) return 0;
          after = ids.at(-1)!;
          const keys = await db.mediaAsset.findMany({
            where: { message: { conversation: { contactId: { in: ids } } }, storageKey: { not: null } },
            select: { storageKey: true },
          });
          line.mediaFiles += await removeFiles(
            ctx,
            keys.map((k) => k.storageKey),
          );
          await db.$transaction(async (tx) => {
            const gone = await tx.$queryRaw<{ id: string }[]>(Prisma.sql`
              DELETE FROM "Contact" k WHERE k.id = ANY(${ids}::uuid[]) AND ${due} AND NOT ${heldSql} RETURNING k.id`);
            line.deleted += gone.length;
            // Handoffs name web chat and WhatsApp contacts without a foreign key: they go with them.
            const goneIds = gone.map((g) => g.id);
            const handoffs = await tx.whatsAppHandoff.deleteMany({
              where: { OR: [{ webContactId: { in: goneIds } }, { linkedContactId: { in: goneIds } }] },
            });
            await auditBatch(tx, ctx, p, { count: gone.length, ids: goneIds, handoffs: handoffs.count });
          });
          return ids.length * 10;
        });
        if (handled === 0) break;
      }
    }
    lines.push(line);
  }
  return lines;
}

// ───────────── plain tables: raw payloads, sessions, outbox ─────────────

async function deleteByAge(
  ctx: RunContext,
  p: EffectivePolicy,
  table: string,
  due: Prisma.Sql,
  idType: "uuid" | "bigint",
): Promise<number> {
  const t = Prisma.raw(`"${table}"`);
  if (ctx.dryRun) {
    const [row] = await ctx.db.$queryRaw<{ n: bigint }[]>(Prisma.sql`SELECT count(*) AS n FROM ${t} x WHERE ${due}`);
    return Number(row?.n ?? 0);
  }
  let deleted = 0;
  for (;;) {
    let size = 0;
    const n = await ctx.pacer.run(async (batch) => {
      size = batch;
      return ctx.db.$transaction(async (tx) => {
        const gone = await tx.$queryRaw<{ id: string | bigint }[]>(Prisma.sql`
          DELETE FROM ${t} WHERE id IN (SELECT x.id FROM ${t} x WHERE ${due} LIMIT ${batch}) RETURNING id`);
        if (gone.length) {
          await auditBatch(tx, ctx, p, {
            count: gone.length,
            ids: gone.map((g) => String(g.id)),
            table,
            idType,
          });
        }
        return gone.length;
      });
    });
    deleted += n;
    if (n < size) return deleted;
  }
}

async function runWebhookPayloads(ctx: RunContext, p: EffectivePolicy): Promise<RetentionLine> {
  const cutoff = sqlTimestamp(cutoffOf(ctx.now, p.days));
  const line = lineOf(p);
  line.deleted += await deleteByAge(ctx, p, "WebhookEvent", Prisma.sql`x."receivedAt" < ${cutoff}`, "uuid");
  // Status reports that never found their message keep the recipient's number: raw payload too.
  line.deleted += await deleteByAge(
    ctx,
    p,
    "MessageStatusEvent",
    Prisma.sql`x."messageId" IS NULL AND x."createdAt" < ${cutoff}`,
    "uuid",
  );
  return line;
}

async function runSessions(ctx: RunContext, p: EffectivePolicy): Promise<RetentionLine> {
  const cutoff = sqlTimestamp(cutoffOf(ctx.now, p.days));
  const line = lineOf(p);
  line.deleted = await deleteByAge(ctx, p, "Session", Prisma.sql`x."expiresAt" < ${cutoff}`, "uuid");
  // Web chat → WhatsApp handoffs never used: a website visitor's consent evidence (IP, browser) with no contact.
  line.deleted += await deleteByAge(
    ctx,
    p,
    "WhatsAppHandoff",
    Prisma.sql`x."linkedAt" IS NULL AND x."expiresAt" < ${cutoff}`,
    "uuid",
  );
  return line;
}

async function runOutbox(ctx: RunContext, p: EffectivePolicy): Promise<RetentionLine> {
  const cutoff = sqlTimestamp(cutoffOf(ctx.now, p.days));
  const line = lineOf(p);
  line.deleted = await deleteByAge(
    ctx,
    p,
    "OutboxJob",
    Prisma.sql`x."dispatchedAt" IS NOT NULL AND x."dispatchedAt" < ${cutoff}`,
    "bigint",
  );
  return line;
}
