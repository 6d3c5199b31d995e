import type { ConversationDto, LiveEvent } from "@inbox/contracts";
import type { DbTx } from "@inbox/db";
import { toMessageDto } from "../outbound/to-message-dto";

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** Conversations as the console lists them (contact, channel, labels, preview of the last message). */
export async function loadConversationDtos(db: DbTx, ids: string[]): Promise<ConversationDto[]> {
  if (ids.length === 0) return [];
  const rows = await db.conversation.findMany({
    where: { id: { in: ids } },
    include: {
      contact: true,
      channel: { select: { id: true, type: true, name: true } },
      labels: { include: { label: true } },
      messages: { where: { isPrivate: false }, orderBy: { createdAt: "desc" }, take: 1, select: { text: true, type: true } },
    },
  });
  return rows.map((c) => ({
    id: c.id,
    status: c.status,
    channel: c.channel,
    contact: {
      id: c.contact.id,
      waId: c.contact.waId,
      userId: c.contact.userId,
      username: c.contact.username,
      profileName: c.contact.profileName,
      displayName: c.contact.displayName,
    },
    assigneeId: c.assigneeId,
    teamId: c.teamId,
    labels: c.labels.map((l) => ({ id: l.label.id, name: l.label.name, color: l.label.color })),
    unreadCount: c.unreadCount,
    lastMessageAt: c.lastMessageAt.toISOString(),
    lastInboundAt: iso(c.lastInboundAt),
    windowExpiresAt: iso(c.windowExpiresAt),
    snoozedUntil: iso(c.snoozedUntil),
    lastMessagePreview: c.messages[0] ? (c.messages[0].text?.slice(0, 140) ?? `[${c.messages[0].type}]`) : null,
    createdAt: c.createdAt.toISOString(),
  }));
}

/**
 * The live events for what a committed change touched: message.created / message.updated for the messages and
 * conversation.updated for the conversations. Read after the commit, so consoles never see uncommitted data.
 */
export async function buildLiveEvents(
  db: DbTx,
  change: { createdMessageIds?: string[]; updatedMessageIds?: string[]; conversationIds?: string[] },
): Promise<LiveEvent[]> {
  const created = change.createdMessageIds ?? [];
  const updated = change.updatedMessageIds ?? [];
  const messageIds = [...new Set([...created, ...updated])];
  const messages = messageIds.length
    ? await db.message.findMany({
        where: { id: { in: messageIds } },
        include: { media: true, conversation: { select: { teamId: true, assigneeId: true } } },
        orderBy: { createdAt: "asc" },
      })
    : [];
  const createdSet = new Set(created);
  const events: LiveEvent[] = messages.map((m) => ({
    type: createdSet.has(m.id) ? ("message.created" as const) : ("message.updated" as const),
    conversationId: m.conversationId,
    teamId: m.conversation.teamId,
    assigneeId: m.conversation.assigneeId,
    message: toMessageDto(m),
  }));
  for (const conversation of await loadConversationDtos(db, change.conversationIds ?? [])) {
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
