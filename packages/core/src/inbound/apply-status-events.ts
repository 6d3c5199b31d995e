import { Prisma, type DbTx, type MessageStatus, type RunSql } from "@inbox/db";

/** Order of delivery states: a report only ever moves a message forward; failed is terminal. */
export const STATUS_RANK: Record<MessageStatus, number> = {
  queued: 0,
  sending: 1,
  sent: 2,
  delivered: 3,
  read: 4,
  played: 5,
  failed: 6,
  received: -1,
};

/** True when `next` may replace `current` (monotonic; nothing leaves failed; inbound messages keep received). */
export function isStatusAdvance(current: MessageStatus, next: MessageStatus): boolean {
  if (current === "failed" || current === "received") return false;
  return STATUS_RANK[next] > STATUS_RANK[current];
}

export interface StatusReport {
  externalId: string;
  status: "sent" | "delivered" | "read" | "played" | "failed";
  occurredAt: Date;
  recipientId: string | null;
  errors: Prisma.InputJsonValue | null;
  pricing: Prisma.InputJsonValue | null;
}

/** Stores status reports, deduplicated by (channel, wamid, status) with the unique index. Returns how many were new. */
export async function recordStatusEvents(tx: DbTx, channelId: string, reports: StatusReport[]): Promise<number> {
  if (reports.length === 0) return 0;
  const { count } = await tx.messageStatusEvent.createMany({
    data: reports.map((r) => ({
      channelId,
      externalId: r.externalId,
      status: r.status,
      occurredAt: r.occurredAt,
      recipientId: r.recipientId,
      errors: r.errors ?? Prisma.DbNull,
      pricing: r.pricing ?? Prisma.DbNull,
    })),
    skipDuplicates: true,
  });
  return count;
}

const RANK_SQL = (col: Prisma.Sql) =>
  Prisma.sql`array_position(ARRAY['queued','sending','sent','delivered','read','played','failed']::text[], ${col}::text)`;

/**
 * Applies every stored status report of the given wamids to their messages, monotonically: the best status
 * reported so far wins unless the message already has a better one or failed; each *At column keeps the earliest
 * report. Messages not known yet are skipped — their reports stay (messageId null) until the message appears,
 * so whoever stores a message with an externalId calls this again (the outbound sender after Meta's answer).
 * Returns the ids of messages whose row changed.
 */
export async function applyStatusEvents(run: RunSql, channelId: string, externalIds: string[]): Promise<string[]> {
  if (externalIds.length === 0) return [];
  // Every lookup is an index probe per wamid (unnest + LATERAL, see key-lookups.ts): the plan must not depend on
  // table statistics, which a fresh install receiving its first campaign's statuses does not have yet.
  const rows = await run<{ id: string }>(Prisma.sql`
    WITH ev AS (
      SELECT e.* FROM (SELECT DISTINCT unnest(${externalIds}::text[]) AS wamid) w
      JOIN LATERAL (SELECT * FROM "MessageStatusEvent" WHERE "channelId" = ${channelId}::uuid AND "externalId" = w.wamid OFFSET 0) e ON true
    ), agg AS (
      SELECT e."externalId",
        (array_agg(e.status ORDER BY ${RANK_SQL(Prisma.sql`e.status`)} DESC, e."occurredAt"))[1] AS best,
        min(e."occurredAt") FILTER (WHERE e.status = 'sent') AS sent_at,
        min(e."occurredAt") FILTER (WHERE e.status = 'delivered') AS delivered_at,
        min(e."occurredAt") FILTER (WHERE e.status IN ('read', 'played')) AS read_at,
        min(e."occurredAt") FILTER (WHERE e.status = 'failed') AS failed_at,
        (array_agg(e.errors ORDER BY e."occurredAt") FILTER (WHERE e.status = 'failed' AND e.errors IS NOT NULL))[1] AS errors,
        (array_agg(e.pricing->>'category' ORDER BY e."occurredAt" DESC) FILTER (WHERE e.pricing IS NOT NULL))[1] AS pricing_category,
        (array_agg(e."occurredAt" ORDER BY ${RANK_SQL(Prisma.sql`e.status`)} DESC, e."occurredAt"))[1] AS best_at
      FROM ev e
      GROUP BY e."externalId"
    ), target AS (
      SELECT agg.*, mm.id AS mid FROM agg
      JOIN LATERAL (SELECT id FROM "Message" WHERE "channelId" = ${channelId}::uuid AND "externalId" = agg."externalId" LIMIT 1) mm ON true
    ), upd AS (
      UPDATE "Message" m SET
        status = CASE WHEN m.status NOT IN ('failed', 'received') AND ${RANK_SQL(Prisma.sql`agg.best`)} > ${RANK_SQL(Prisma.sql`m.status`)}
                      THEN agg.best ELSE m.status END,
        "statusAt" = CASE WHEN m.status NOT IN ('failed', 'received') AND ${RANK_SQL(Prisma.sql`agg.best`)} > ${RANK_SQL(Prisma.sql`m.status`)}
                      THEN agg.best_at ELSE m."statusAt" END,
        "sentAt" = COALESCE(m."sentAt", agg.sent_at),
        "deliveredAt" = COALESCE(m."deliveredAt", agg.delivered_at),
        "readAt" = COALESCE(m."readAt", agg.read_at),
        "failedAt" = CASE WHEN m.status IN ('read', 'played') THEN m."failedAt" ELSE COALESCE(m."failedAt", agg.failed_at) END,
        "errorCode" = COALESCE(m."errorCode", (agg.errors->0->>'code')::int),
        "errorTitle" = COALESCE(m."errorTitle", agg.errors->0->>'title'),
        "errorDetails" = COALESCE(m."errorDetails", agg.errors->0->'error_data'->>'details', agg.errors->0->>'message'),
        "pricingCategory" = COALESCE(agg.pricing_category, m."pricingCategory"),
        "updatedAt" = (now() AT TIME ZONE 'UTC')
      FROM target agg
      WHERE m.id = agg.mid AND m.direction = 'outbound'
        AND (m.status IS DISTINCT FROM (CASE WHEN m.status NOT IN ('failed', 'received') AND ${RANK_SQL(Prisma.sql`agg.best`)} > ${RANK_SQL(Prisma.sql`m.status`)} THEN agg.best ELSE m.status END)
          OR m."sentAt" IS DISTINCT FROM COALESCE(m."sentAt", agg.sent_at)
          OR m."deliveredAt" IS DISTINCT FROM COALESCE(m."deliveredAt", agg.delivered_at)
          OR m."readAt" IS DISTINCT FROM COALESCE(m."readAt", agg.read_at)
          OR m."pricingCategory" IS DISTINCT FROM COALESCE(agg.pricing_category, m."pricingCategory"))
      RETURNING m.id, m."externalId"
    ), marked AS (
      UPDATE "MessageStatusEvent" e SET "messageId" = t.mid, "appliedAt" = (now() AT TIME ZONE 'UTC')
      FROM ev, target t
      WHERE e.id = ev.id AND ev."appliedAt" IS NULL AND t."externalId" = ev."externalId"
      RETURNING e.id
    )
    SELECT id FROM upd`);
  return rows.map((r) => r.id);
}

