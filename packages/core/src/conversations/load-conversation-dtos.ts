import type { ConversationDto } from "@inbox/contracts";
import { Prisma, runSqlOf, type DbTx, type RunSql } from "@inbox/db";
import { windowExpiresAt } from "./window";

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

interface ConversationRow {
  id: string;
  status: ConversationDto["status"];
  assigneeId: string | null;
  teamId: string | null;
  unreadCount: number;
  lastMessageAt: Date;
  lastInboundAt: Date | null;
  snoozedUntil: Date | null;
  createdAt: Date;
  channel: ConversationDto["channel"];
  contact: ConversationDto["contact"];
  labels: ConversationDto["labels"];
  preview: string | null;
}

/**
 * Conversations as the console lists them (contact, channel, labels, preview of the last visible message), in one
 * statement: this runs after every burst of webhooks, and a relation-by-relation read costs a query per relation
 * (and per conversation for the preview).
 */
export async function loadConversationDtos(db: DbTx | RunSql, ids: string[]): Promise<ConversationDto[]> {
  if (ids.length === 0) return [];
  const rows = await runSqlOf(db)<ConversationRow>(Prisma.sql`
    SELECT c.id, c.status::text AS status, c."assigneeId", c."teamId", c."unreadCount", c."lastMessageAt", c."lastInboundAt",
           c."snoozedUntil", c."createdAt",
           json_build_object('id', ch.id, 'type', ch.type::text, 'name', ch.name) AS channel,
           json_build_object('id', ct.id, 'waId', ct."waId", 'userId', ct."userId", 'username', ct.username,
                             'profileName', ct."profileName", 'displayName', ct."displayName") AS contact,
           COALESCE((SELECT json_agg(json_build_object('id', l.id, 'name', l.name, 'color', l.color) ORDER BY l.name)
                       FROM "ConversationLabel" cl JOIN "Label" l ON l.id = cl."labelId"
                      WHERE cl."conversationId" = c.id), '[]'::json) AS labels,
           (SELECT COALESCE(left(m.text, 140), '[' || m.type::text || ']')
              FROM "Message" m
             WHERE m."conversationId" = c.id AND NOT m."isPrivate"
             ORDER BY m."createdAt" DESC LIMIT 1) AS preview
      FROM "Conversation" c
      JOIN "Channel" ch ON ch.id = c."channelId"
      JOIN "Contact" ct ON ct.id = c."contactId"
     WHERE c.id = ANY(${ids}::uuid[])`);
  return rows.map((c) => ({
    id: c.id,
    status: c.status,
    channel: c.channel,
    contact: c.contact,
    assigneeId: c.assigneeId,
    teamId: c.teamId,
    labels: c.labels,
    unreadCount: c.unreadCount,
    lastMessageAt: c.lastMessageAt.toISOString(),
    lastInboundAt: iso(c.lastInboundAt),
    windowExpiresAt: iso(windowExpiresAt(c.lastInboundAt)),
    snoozedUntil: iso(c.snoozedUntil),
    lastMessagePreview: c.preview,
    createdAt: c.createdAt.toISOString(),
  }));
}
