import { Prisma, toJsonValue, type RunSql } from "@inbox/db";
import type { Status } from "@inbox/whatsapp";
import { isUuid } from "../shared/ids";
import { fromMetaTimestamp } from "./meta-time";

export interface StatusReport {
  externalId: string;
  status: "sent" | "delivered" | "read" | "played" | "failed";
  occurredAt: Date;
  recipientId: string | null;
  errors: Prisma.InputJsonValue | null;
  pricing: Prisma.InputJsonValue | null;
  /** Our message id from biz_opaque_callback_data (a UUID), when Meta echoed one. */
  callbackMessageId: string | null;
}

/**
 * Meta's statuses[] as reports. Our sends carry the message id as biz_opaque_callback_data: when the worker died
 * after Meta accepted a send but before it stored the wamid, the first status links them.
 */
export function toStatusReports(statuses: Status[]): StatusReport[] {
  return statuses.map((s) => ({
    externalId: s.id,
    status: s.status,
    occurredAt: fromMetaTimestamp(s.timestamp),
    recipientId: s.recipient_id || s.recipient_user_id || null,
    errors: s.errors ? toJsonValue(s.errors) : null,
    pricing: s.pricing ? toJsonValue(s.pricing) : null,
    callbackMessageId:
      s.biz_opaque_callback_data && isUuid(s.biz_opaque_callback_data) ? s.biz_opaque_callback_data : null,
  }));
}

const RANK_SQL = (col: Prisma.Sql) =>
  Prisma.sql`array_position(ARRAY['queued','sending','sent','delivered','read','played','failed']::text[], ${col}::text)`;

/**
 * Stores status reports and applies them to their messages, in ONE statement (a group-committed batch of status
 * webhooks is one round trip):
 *
 * - each report is kept once per (channel, wamid, status) — a redelivery is a no-op;
 * - its message is found by wamid, else by our message id in biz_opaque_callback_data (a send whose wamid the
 *   worker never stored: the worker died after Meta accepted it), which then gets the wamid;
 * - all reports of the wamid so far (stored before or now) are applied monotonically: the best status wins unless
 *   the message already has a better one or failed; each *At column keeps the earliest report; failed reports
 *   fill Meta's code, title and details; the newest pricing category is kept;
 * - reports of a message not known yet stay unapplied (messageId null) until the message gets its wamid: the
 *   worker then calls this with the wamid in `storedFor`.
 * Every lookup is an index probe per key (LATERAL … LIMIT 1 / OFFSET 0): the plan must not depend on table
 * statistics, which a fresh install receiving its first campaign's statuses does not have yet.
 * Returns how many reports were new and the ids of the messages whose row changed.
 */
export async function applyStatusReports(
  run: RunSql,
  channelId: string,
  reports: StatusReport[],
  /** Wamids whose stored reports are applied too (a send that just got its wamid; see recordAcceptedSends). */
  storedFor: string[] = [],
): Promise<{ recorded: number; updatedMessageIds: string[] }> {
  if (reports.length === 0 && storedFor.length === 0) return { recorded: 0, updatedMessageIds: [] };
  const json = JSON.stringify(
    reports.map((r) => ({
      wamid: r.externalId,
      status: r.status,
      at: r.occurredAt.toISOString(),
      recipient: r.recipientId,
      errors: r.errors,
      pricing: r.pricing,
      callback: r.callbackMessageId,
    })),
  );
  const now = Prisma.sql`(now() AT TIME ZONE 'UTC')`;
  const better = (best: Prisma.Sql) =>
    Prisma.sql`m.status NOT IN ('failed', 'received') AND ${RANK_SQL(best)} > ${RANK_SQL(Prisma.sql`m.status`)}`;
  const [row] = await run<{ recorded: number; updated: string[] }>(Prisma.sql`
    WITH input AS (
      SELECT r.wamid, r.status::"MessageStatus" AS status, (r.at AT TIME ZONE 'UTC') AS at, r.recipient, r.errors, r.pricing, r.callback
      FROM jsonb_to_recordset(${json}::jsonb) AS r(wamid text, status text, at timestamptz, recipient text, errors jsonb, pricing jsonb, callback uuid)
    ), target AS (
      SELECT w.wamid, coalesce(by_wamid.id, by_callback.id) AS mid, (by_wamid.id IS NULL AND by_callback.id IS NOT NULL) AS link
      FROM (
        SELECT DISTINCT ON (wamid) wamid, callback
          FROM (SELECT wamid, callback FROM input UNION ALL SELECT unnest(${storedFor}::text[]), NULL::uuid) x
         ORDER BY wamid, callback NULLS LAST
      ) w
      LEFT JOIN LATERAL (SELECT id FROM "Message" WHERE "channelId" = ${channelId}::uuid AND "externalId" = w.wamid LIMIT 1) by_wamid ON true
      LEFT JOIN LATERAL (
        SELECT id FROM "Message"
         WHERE id = w.callback AND "channelId" = ${channelId}::uuid AND direction = 'outbound' AND "externalId" IS NULL LIMIT 1
      ) by_callback ON true
    ), ins AS (
      INSERT INTO "MessageStatusEvent" (id, "channelId", "externalId", "messageId", status, "occurredAt", "recipientId", errors, pricing,
                                        "appliedAt", "createdAt")
      SELECT gen_random_uuid(), ${channelId}::uuid, i.wamid, t.mid, i.status, i.at, i.recipient, i.errors, i.pricing,
             CASE WHEN t.mid IS NOT NULL THEN ${now} END, ${now}
        FROM input i JOIN target t ON t.wamid = i.wamid
      ON CONFLICT ("channelId", "externalId", status) DO NOTHING
      RETURNING *
    ), old AS (
      SELECT e.* FROM target t
      JOIN LATERAL (SELECT * FROM "MessageStatusEvent" WHERE "channelId" = ${channelId}::uuid AND "externalId" = t.wamid OFFSET 0) e ON true
    ), ev AS (
      SELECT * FROM old UNION ALL SELECT * FROM ins
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
    ), upd AS (
      UPDATE "Message" m SET
        "externalId" = CASE WHEN t.link THEN t.wamid ELSE m."externalId" END,
        status = CASE WHEN ${better(Prisma.sql`agg.best`)} THEN agg.best ELSE m.status END,
        "statusAt" = CASE WHEN ${better(Prisma.sql`agg.best`)} THEN agg.best_at ELSE m."statusAt" END,
        "sentAt" = COALESCE(m."sentAt", agg.sent_at),
        "deliveredAt" = COALESCE(m."deliveredAt", agg.delivered_at),
        "readAt" = COALESCE(m."readAt", agg.read_at),
        "failedAt" = CASE WHEN m.status IN ('read', 'played') THEN m."failedAt" ELSE COALESCE(m."failedAt", agg.failed_at) END,
        "errorCode" = COALESCE(m."errorCode", (agg.errors->0->>'code')::int),
        "errorTitle" = COALESCE(m."errorTitle", agg.errors->0->>'title'),
        "errorDetails" = COALESCE(m."errorDetails", agg.errors->0->'error_data'->>'details', agg.errors->0->>'message'),
        "pricingCategory" = COALESCE(agg.pricing_category, m."pricingCategory"),
        "updatedAt" = ${now}
      FROM agg JOIN target t ON t.wamid = agg."externalId"
      -- = ANY(…) of the ids keeps this a primary-key probe per message, not a join over the whole table.
      WHERE m.id = t.mid AND m.id = ANY(ARRAY(SELECT mid FROM target WHERE mid IS NOT NULL)) AND m.direction = 'outbound'
        AND (t.link
          OR m.status IS DISTINCT FROM (CASE WHEN ${better(Prisma.sql`agg.best`)} THEN agg.best ELSE m.status END)
          OR m."sentAt" IS DISTINCT FROM COALESCE(m."sentAt", agg.sent_at)
          OR m."deliveredAt" IS DISTINCT FROM COALESCE(m."deliveredAt", agg.delivered_at)
          OR m."readAt" IS DISTINCT FROM COALESCE(m."readAt", agg.read_at)
          OR m."pricingCategory" IS DISTINCT FROM COALESCE(agg.pricing_category, m."pricingCategory"))
      RETURNING m.id
    ), marked AS (
      UPDATE "MessageStatusEvent" e SET "messageId" = t.mid, "appliedAt" = ${now}
      FROM old, target t
      WHERE e.id = old.id AND old."appliedAt" IS NULL AND t.wamid = old."externalId" AND t.mid IS NOT NULL
      RETURNING e.id
    )
    SELECT (SELECT count(*) FROM ins)::int AS recorded, COALESCE((SELECT array_agg(id) FROM upd), '{}') AS updated`);
  return { recorded: row?.recorded ?? 0, updatedMessageIds: row?.updated ?? [] };
}
