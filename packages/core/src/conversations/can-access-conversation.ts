import { Prisma, type DbTx } from "@inbox/db";
import { AppError } from "../errors/app-error";
import { isUuid } from "../shared/ids";

export interface AccessUser {
  id: string;
  role: "agent" | "lead" | "admin";
  teamIds: string[];
  /**
   * Leads only: whether they also see conversations no team owns (Setting `access.leadsSeeTeamlessConversations`,
   * off by default: the contract gives leads their teams).
   */
  seesTeamlessConversations?: boolean;
}

export interface ConversationScope {
  teamId: string | null;
  assigneeId: string | null;
}

/**
 * Who may see and answer a conversation (CONTRACT "Roles"): admins everything; agents the conversations of
 * their teams and those assigned to them; leads the same, plus conversations no team owns yet when admins chose
 * so (`seesTeamlessConversations`, docs/security.md).
 */
export function canAccessConversation(user: AccessUser, conversation: ConversationScope): boolean {
  if (user.role === "admin") return true;
  if (conversation.assigneeId === user.id) return true;
  if (conversation.teamId && user.teamIds.includes(conversation.teamId)) return true;
  return user.role === "lead" && user.seesTeamlessConversations === true && conversation.teamId === null;
}

/** canAccessConversation as a Prisma filter (the same rule, applied in the query). */
export function accessibleConversationsWhere(user: AccessUser): Prisma.ConversationWhereInput {
  if (user.role === "admin") return {};
  const or: Prisma.ConversationWhereInput[] = [{ assigneeId: user.id }];
  if (user.teamIds.length) or.push({ teamId: { in: user.teamIds } });
  if (user.role === "lead" && user.seesTeamlessConversations === true) or.push({ teamId: null });
  return { OR: or };
}

/**
 * canAccessConversation as an SQL condition over the conversation row `c` (the same rule, for a statement that reads
 * the conversation and acts on it in one round trip).
 */
export function accessibleConversationSql(user: AccessUser, c: Prisma.Sql): Prisma.Sql {
  if (user.role === "admin") return Prisma.sql`true`;
  const seesTeamless = user.role === "lead" && user.seesTeamlessConversations === true;
  // COALESCE: a missing team or assignee (NULL) makes a comparison NULL, and the condition must say false then.
  return Prisma.sql`COALESCE(${c}."assigneeId" = ${user.id}::uuid OR ${c}."teamId" = ANY(${user.teamIds}::uuid[])
    OR (${seesTeamless} AND ${c}."teamId" IS NULL), false)`;
}

/** The conversation's scope when it exists and `user` may see it; null otherwise (also for a malformed id). */
export async function findAccessibleConversation(
  db: DbTx,
  user: AccessUser,
  conversationId: string,
): Promise<({ id: string } & ConversationScope) | null> {
  if (!isUuid(conversationId)) return null;
  const conversation = await db.conversation.findUnique({
    where: { id: conversationId },
    select: { id: true, teamId: true, assigneeId: true },
  });
  return conversation && canAccessConversation(user, conversation) ? conversation : null;
}

/** Loads the conversation's scope or throws not_found (unknown) / forbidden (not the user's). */
export async function assertConversationAccess(db: DbTx, user: AccessUser, conversationId: string): Promise<void> {
  if (!isUuid(conversationId)) throw new AppError("not_found", "Conversation not found.");
  const conversation = await db.conversation.findUnique({
    where: { id: conversationId },
    select: { teamId: true, assigneeId: true },
  });
  if (!conversation) throw new AppError("not_found", "Conversation not found.");
  if (!canAccessConversation(user, conversation)) {
    throw new AppError("forbidden", "You do not have access to this conversation.");
  }
}
