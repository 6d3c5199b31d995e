import type { ConversationDto, LiveEvent } from "@inbox/contracts";
import { Prisma, runSqlOf, type DbTx, type MediaAsset, type Message, type RunSql } from "@inbox/db";
import { windowExpiresAt } from "../conversations/window";
import { toMessageDto } from "../outbound/to-message-dto";

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

type MediaSummary = Pick<MediaAsset, "id" | "mimeType" | "filename" | "sizeBytes" | "status">;

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

/** A message whose stored row the caller already holds (no read needed), with its conversation's routing. */
export interface LiveMessageRow {
  row: Message;
  teamId: string | null;
  assigneeId: string | null;
}

export interface LiveChange {
  createdMessageIds?: string[];
  updatedMessageIds?: string[];
  conversationIds?: string[];
  /** Created messages given as their rows: announced as they are, not read back. */
  storedMessages?: LiveMessageRow[];
}

/**
 * The live events for what a committed change touched: message.created / message.updated for the messages and
 * conversation.updated for the conversations. Read after the commit, so consoles never see uncommitted data;
 * messages the caller hands over as rows (`storedMessages`, committed already) are not read again.
 */
export async function buildLiveEvents(db: DbTx | RunSql, change: LiveChange): Promise<LiveEvent[]> {
  const run = runSqlOf(db);
  const given = change.storedMessages ?? [];
  const givenIds = new Set(given.map((m) => m.row.id));
  const created = (change.createdMessageIds ?? []).filter((id) => !givenIds.has(id));
  const updated = (change.updatedMessageIds ?? []).filter((id) => !givenIds.has(id));
  const messageIds = [...new Set([...created, ...updated])];
  // One statement for the messages with their media and their conversation's routing (what consoles filter on).
  const messages = messageIds.length
    ? await run<
        Message & { media: MediaSummary[]; convTeamId: string | null; convAssigneeId: string | null }
      >(Prisma.sql`
        SELECT m.*, c."teamId" AS "convTeamId", c."assigneeId" AS "convAssigneeId",
               COALESCE((SELECT json_agg(json_build_object('id', a.id, 'mimeType', a."mimeType", 'filename', a.filename,
                                                           'sizeBytes', a."sizeBytes", 'status', a.status::text) ORDER BY a."createdAt")
                           FROM "MediaAsset" a WHERE a."messageId" = m.id), '[]'::json) AS media
          FROM "Message" m JOIN "Conversation" c ON c.id = m."conversationId"
         WHERE m.id = ANY(${messageIds}::uuid[])
         ORDER BY m."createdAt" ASC`)
    : [];
  const createdSet = new Set(created);
  const events: LiveEvent[] = given.map((m) => ({
    type: "message.created" as const,
    conversationId: m.row.conversationId,
    teamId: m.teamId,
    assigneeId: m.assigneeId,
    message: toMessageDto(m.row),
  }));
  for (const m of messages) {
    events.push({
      type: createdSet.has(m.id) ? ("message.created" as const) : ("message.updated" as const),
      conversationId: m.conversationId,
      teamId: m.convTeamId,
      assigneeId: m.convAssigneeId,
      message: toMessageDto(m),
    });
  }
  for (const conversation of await loadConversationDtos(run, change.conversationIds ?? [])) {
    events.push({
      type: "conversation.updated",
      conversationId: conversation.id,
      teamId: conversation.teamId,
      assigneeId: conversation.assigneeId,
      conversation,
    });
  }
  return events;
}
