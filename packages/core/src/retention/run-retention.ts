import type { RetentionCategory } from "@inbox/contracts";
import { Prisma, sqlTimestamp, type Db, type DbTx } from "@inbox/db";
import type { Logger } from "@inbox/logger";
import { recordAudit } from "../audit/record-audit";
import type { MediaStore } from "../media/media-store";
import { isContactHeldSql, isHeldSql } from "./legal-holds";
import { findEffectivePolicies, type EffectivePolicy } from "./list-retention-policies";
import { DAY_MS } from "./retention-rules";

export interface RunRetentionDeps {
  db: Db;
  media: MediaStore;
  log: Logger;
  clock?: () => Date;
  /** Rows per delete statement (each its own short transaction). */
  batchSize?: number;
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
}

/** A run that has not finished after this long is taken as crashed; the next run may start. */
const STALE_RUN_MS = 30 * 60 * 1000;
const RUN_LOCK_KEY = 0x726574656e; // "reten"
const CHUNK_CONVERSATIONS = 200;

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
    return { runId: null, isDryRun: options.dryRun, skipped: true, lines: [] };
  }
  const ctx: RunContext = {
    deps,
    db,
    now,
    runId: run.id,
    dryRun: options.dryRun,
    batch: deps.batchSize ?? 1000,
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
    { runId: run.id, dryRun: options.dryRun, deleted: lines.reduce((n, l) => n + l.deleted, 0) },
    "retention run finished",
  );
  return { runId: run.id, isDryRun: options.dryRun, skipped: false, lines };
}

interface RunContext {
  deps: RunRetentionDeps;
  db: Db;
  now: Date;
  runId: string;
  dryRun: boolean;
  batch: number;
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

async function mediaKeysOfMessages(db: DbTx, messageIds: string[]): Promise<string[]> {
  const rows = await db.mediaAsset.findMany({
    where: { messageId: { in: messageIds }, storageKey: { not: null } },
    select: { storageKey: true },
  });
  return rows.map((r) => r.storageKey!);
}

// ───────────── messages: per conversation, counted from its resolution; the most specific policy wins ─────────────

interface Candidate {
  id: string;
  policy: string;
  cutoff: Date;
  isHeld: boolean;
}

async function runMessages(ctx: RunContext, policies: EffectivePolicy[]): Promise<RetentionLine[]> {
  if (policies.length === 0) return [];
  const { db, now } = ctx;
  const table = JSON.stringify(
    policies.map((p) => ({ pid: policyKey(p), channelId: p.channelId, labelId: p.labelId, days: p.days })),
  );
  const earliest = cutoffOf(now, Math.min(...policies.map((p) => p.days)));
  // Each resolved conversation with the policy that governs it: a label policy before a channel policy before the
  // general one; among several matching label policies the longest period.
  const candidates = await db.$queryRaw<Candidate[]>(Prisma.sql`
    SELECT c.id, best.pid AS policy, (${sqlTimestamp(now)} - make_interval(days => best.days)) AS cutoff,
           ${isHeldSql("c", now)} AS "isHeld"
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
     WHERE c.status = 'resolved' AND c."resolvedAt" < ${sqlTimestamp(earliest)}
       AND c."resolvedAt" < ${sqlTimestamp(now)} - make_interval(days => best.days)`);
  const lines: RetentionLine[] = [];
  for (const p of policies) {
    const line = { ...lineOf(p), conversations: 0, mediaFiles: 0 };
    const mine = candidates.filter((c) => c.policy === policyKey(p));
    line.held = mine.filter((c) => c.isHeld).length;
    const free = mine.filter((c) => !c.isHeld);
    for (let i = 0; i < free.length; i += CHUNK_CONVERSATIONS) {
      await deleteConversations(ctx, p, free.slice(i, i + CHUNK_CONVERSATIONS), line);
    }
    lines.push(line);
  }
  return lines;
}

/**
 * Deletes the messages of some conversations batch by batch, then the conversations themselves. Every statement
 * checks again that the conversation is still resolved past its cutoff and not held: a customer who writes again
 * reopens it, and nothing of it is deleted then.
 */
async function deleteConversations(
  ctx: RunContext,
  p: EffectivePolicy,
  chunk: Candidate[],
  line: RetentionLine & { conversations: number; mediaFiles: number },
) {
  const { db, now } = ctx;
  const sel = JSON.stringify(chunk.map((c) => ({ id: c.id, cutoff: c.cutoff.toISOString() })));
  const still = Prisma.sql`c.status = 'resolved' AND c."resolvedAt" < (s.cutoff AT TIME ZONE 'UTC') AND NOT ${isHeldSql("c", now)}`;
  const selected = Prisma.sql`jsonb_to_recordset(${sel}::jsonb) AS s(id uuid, cutoff timestamptz)`;
  if (ctx.dryRun) {
    const [row] = await db.$queryRaw<{ messages: bigint; conversations: bigint; media: bigint }[]>(Prisma.sql`
      SELECT count(m.id) AS messages, count(DISTINCT c.id) AS conversations, count(a.id) AS media
        FROM ${selected} JOIN "Conversation" c ON c.id = s.id
        LEFT JOIN "Message" m ON m."conversationId" = c.id
        LEFT JOIN "MediaAsset" a ON a."messageId" = m.id AND a."storageKey" IS NOT NULL
       WHERE ${still}`);
    line.deleted += Number(row?.messages ?? 0);
    line.conversations += Number(row?.conversations ?? 0);
    line.mediaFiles += Number(row?.media ?? 0);
    return;
  }
  for (;;) {
    const ids = (
      await db.$queryRaw<{ id: string }[]>(Prisma.sql`
        SELECT m.id FROM ${selected} JOIN "Conversation" c ON c.id = s.id JOIN "Message" m ON m."conversationId" = c.id
         WHERE ${still} LIMIT ${ctx.batch}`)
    ).map((r) => r.id);
    if (ids.length === 0) break;
    line.mediaFiles += await removeFiles(ctx, await mediaKeysOfMessages(db, ids));
    await db.$transaction(async (tx) => {
      const gone = await tx.$queryRaw<{ conversationId: string }[]>(Prisma.sql`
        DELETE FROM "Message" m USING ${selected}, "Conversation" c
         WHERE m.id = ANY(${ids}::uuid[]) AND c.id = m."conversationId" AND s.id = c.id AND ${still}
        RETURNING m."conversationId"`);
      line.deleted += gone.length;
      await auditBatch(tx, ctx, p, {
        count: gone.length,
        ids: [...new Set(gone.map((g) => g.conversationId))],
        what: "messages of conversations",
      });
    });
  }
  await db.$transaction(async (tx) => {
    const gone = await tx.$queryRaw<{ id: string }[]>(Prisma.sql`
      DELETE FROM "Conversation" c USING ${selected}
       WHERE s.id = c.id AND ${still} AND NOT EXISTS (SELECT 1 FROM "Message" m WHERE m."conversationId" = c.id)
      RETURNING c.id`);
    line.conversations += gone.length;
    // A used web chat → WhatsApp handoff is consent evidence of the contact: it stays, without the deleted links.
    if (gone.length)
      await tx.whatsAppHandoff.updateMany({
        where: { linkedConversationId: { in: gone.map((g) => g.id) } },
        data: { linkedConversationId: null, linkedMessageId: null },
      });
    if (gone.length)
      await auditBatch(tx, ctx, p, { count: gone.length, ids: gone.map((g) => g.id), what: "conversations" });
  });
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
        const rows = await db.$queryRaw<{ id: string; storageKey: string | null }[]>(Prisma.sql`
          SELECT a.id, a."storageKey" FROM "MediaAsset" a WHERE ${due} AND NOT ${heldSql} LIMIT ${ctx.batch}`);
        if (rows.length === 0) break;
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
      const batch = Math.max(1, Math.floor(ctx.batch / 10));
      for (;;) {
        const ids = (
          await db.$queryRaw<{ id: string }[]>(Prisma.sql`
            SELECT k.id FROM "Contact" k WHERE ${due} AND NOT ${heldSql} LIMIT ${batch}`)
        ).map((r) => r.id);
        if (ids.length === 0) break;
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
    const n = await ctx.db.$transaction(async (tx) => {
      const gone = await tx.$queryRaw<{ id: string | bigint }[]>(Prisma.sql`
        DELETE FROM ${t} WHERE id IN (SELECT x.id FROM ${t} x WHERE ${due} LIMIT ${ctx.batch}) RETURNING id`);
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
    deleted += n;
    if (n < ctx.batch) return deleted;
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
