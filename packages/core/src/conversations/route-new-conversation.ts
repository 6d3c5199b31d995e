import type { Db } from "@inbox/db";

/**
 * Routing of a new conversation. Until rule-based routing lands (its own issue), a new conversation stays
 * unassigned in its channel's default team; this only fills the team in when it is missing.
 * Returns the conversation id when it exists (the caller publishes conversation.updated).
 */
export async function routeNewConversation(db: Db, conversationId: string): Promise<string | null> {
  const conversation = await db.conversation.findUnique({
    where: { id: conversationId },
    select: { id: true, teamId: true, assigneeId: true, channel: { select: { defaultTeamId: true } } },
  });
  if (!conversation) return null;
  if (!conversation.teamId && !conversation.assigneeId && conversation.channel.defaultTeamId) {
    await db.conversation.updateMany({
      where: { id: conversationId, teamId: null },
      data: { teamId: conversation.channel.defaultTeamId },
    });
  }
  return conversation.id;
}
