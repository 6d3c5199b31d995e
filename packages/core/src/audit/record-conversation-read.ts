import type { DbTx } from "@inbox/db";
import type { AccessUser } from "../conversations/can-access-conversation";
import { recordAudit } from "./record-audit";

/** One entry per user and conversation within this window is enough to answer "who looked at it". */
const DEDUPE_MS = 60 * 60 * 1000;

/**
 * Audits a user reading a conversation outside their own teams (an admin, or a lead triaging one no team owns):
 * `conversation.read_outside_teams`, at most once an hour per user and conversation. Reading one's own is not logged.
 */
export async function recordConversationRead(
  db: DbTx,
  user: AccessUser,
  conversationId: string,
  ip?: string,
  now = new Date(),
): Promise<boolean> {
  const conversation = await db.conversation.findUnique({
    where: { id: conversationId },
    select: { teamId: true, assigneeId: true },
  });
  if (!conversation) return false;
  const isOwn =
    conversation.assigneeId === user.id || (conversation.teamId !== null && user.teamIds.includes(conversation.teamId));
  if (isOwn) return false;
  const recent = await db.auditLog.count({
    where: {
      action: "conversation.read_outside_teams",
      actorId: user.id,
      entityId: conversationId,
      createdAt: { gte: new Date(now.getTime() - DEDUPE_MS) },
    },
  });
  if (recent > 0) return false;
  await recordAudit(
    db,
    { type: "user", userId: user.id, ...(ip ? { ip } : {}) },
    "conversation.read_outside_teams",
    "conversation",
    conversationId,
    { teamId: conversation.teamId, role: user.role },
  );
  return true;
}
