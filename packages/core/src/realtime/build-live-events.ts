import type { LiveEvent } from "@inbox/contracts";
import { Prisma, runSqlOf, type DbTx, type MediaAsset, type Message, type RunSql } from "@inbox/db";
import { loadConversationDtos } from "../conversations/load-conversation-dtos";
import { toMessageDto } from "../messages/to-message-dto";
import type { LiveChange, LiveMessageRow } from "../shared/live-changes";

type MediaSummary = Pick<MediaAsset, "id" | "mimeType" | "filename" | "sizeBytes" | "status">;

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
  const events: LiveEvent[] = given.map(messageCreatedEvent);
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

/** message.created for a message whose stored row the caller holds (committed already): nothing to read. */
export function messageCreatedEvent(m: LiveMessageRow): LiveEvent {
  return {
    type: "message.created",
    conversationId: m.row.conversationId,
    teamId: m.teamId,
    assigneeId: m.assigneeId,
    message: toMessageDto(m.row),
  };
}
