import { sqlTimestamp, type DbTx } from "@inbox/db";
import { SERVICE_WINDOW_MS } from "../conversations/window";

export interface OpenedConversation {
  id: string;
  teamId: string | null;
  assigneeId: string | null;
  /** Created now (hand to routing). */
  isNew: boolean;
  /** A resolved conversation reopened by this message. */
  isReopened: boolean;
}

export interface OpenConversationInput {
  channelId: string;
  contactId: string;
  defaultTeamId: string | null;
  /** Meta's timestamp of the newest customer message being applied; null for system messages. */
  lastInboundAt: Date | null;
  /** Inbound messages to add to the unread count. */
  unread: number;
}

/**
 * Finds the contact's active conversation or opens one, in one statement: update the active one
 * (`activeContactId` is unique), else reopen the newest resolved one, else insert a new one. The caller holds the
 * contact's row lock (resolveContact), and the unique index is the backstop. The window only moves forward:
 * `lastInboundAt` = GREATEST(stored, Meta's timestamp), so a late or retried delivery never shortens it.
 */
export async function openConversation(tx: DbTx, input: OpenConversationInput): Promise<OpenedConversation> {
  const inboundAt = input.lastInboundAt;
  const expiresAt = inboundAt ? new Date(inboundAt.getTime() + SERVICE_WINDOW_MS) : null;
  const messageAt = inboundAt ?? new Date();
  const rows = await tx.$queryRaw<OpenedConversation[]>`
    WITH upd AS (
      UPDATE "Conversation" SET
        "lastInboundAt" = GREATEST("lastInboundAt", ${sqlTimestamp(inboundAt)}),
        "windowExpiresAt" = GREATEST("windowExpiresAt", ${sqlTimestamp(expiresAt)}),
        "lastMessageAt" = GREATEST("lastMessageAt", ${sqlTimestamp(messageAt)}),
        "unreadCount" = "unreadCount" + ${input.unread}::int,
        status = CASE WHEN ${input.unread}::int > 0 AND status = 'pending' THEN 'open'::"ConversationStatus" ELSE status END,
        "snoozedUntil" = CASE WHEN ${input.unread}::int > 0 THEN NULL ELSE "snoozedUntil" END,
        "updatedAt" = (now() AT TIME ZONE 'UTC')
      WHERE "activeContactId" = ${input.contactId}::uuid
      RETURNING id, "teamId", "assigneeId", false AS "isNew", false AS "isReopened"
    ), reo AS (
      UPDATE "Conversation" SET
        "activeContactId" = ${input.contactId}::uuid, status = 'open', "resolvedAt" = NULL, "snoozedUntil" = NULL,
        "lastInboundAt" = GREATEST("lastInboundAt", ${sqlTimestamp(inboundAt)}),
        "windowExpiresAt" = GREATEST("windowExpiresAt", ${sqlTimestamp(expiresAt)}),
        "lastMessageAt" = GREATEST("lastMessageAt", ${sqlTimestamp(messageAt)}),
        "unreadCount" = "unreadCount" + ${input.unread}::int, "updatedAt" = (now() AT TIME ZONE 'UTC')
      WHERE ${input.unread}::int > 0 AND NOT EXISTS (SELECT 1 FROM upd) AND id = (
        SELECT id FROM "Conversation" WHERE "contactId" = ${input.contactId}::uuid AND "activeContactId" IS NULL
        ORDER BY "createdAt" DESC LIMIT 1)
      RETURNING id, "teamId", "assigneeId", false AS "isNew", true AS "isReopened"
    ), ins AS (
      INSERT INTO "Conversation" (id, "channelId", "contactId", "activeContactId", status, "teamId", "lastMessageAt",
                                  "lastInboundAt", "windowExpiresAt", "unreadCount", "updatedAt")
      SELECT gen_random_uuid(), ${input.channelId}::uuid, ${input.contactId}::uuid, ${input.contactId}::uuid, 'open',
             ${input.defaultTeamId}::uuid, ${sqlTimestamp(messageAt)}, ${sqlTimestamp(inboundAt)}, ${sqlTimestamp(expiresAt)}, ${input.unread}::int, (now() AT TIME ZONE 'UTC')
      WHERE NOT EXISTS (SELECT 1 FROM upd) AND NOT EXISTS (SELECT 1 FROM reo)
      ON CONFLICT ("activeContactId") DO NOTHING
      RETURNING id, "teamId", "assigneeId", true AS "isNew", false AS "isReopened"
    )
    SELECT * FROM upd UNION ALL SELECT * FROM reo UNION ALL SELECT * FROM ins`;
  const row = rows[0];
  if (!row) throw new Error("openConversation: concurrent conversation for the contact; retry the delivery");
  return row;
}
