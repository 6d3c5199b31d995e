import type { ConversationAction, ConversationDto } from "@inbox/contracts";
import { isUniqueViolation, type Db, type DbTx, type Prisma } from "@inbox/db";
import { AppError } from "../errors/app-error";
import { recordAudit } from "../audit/record-audit";
import { isUuid } from "../shared/ids";
import type { LiveChanges } from "../shared/live-changes";
import { canAccessConversation, type AccessUser } from "./can-access-conversation";
import { loadConversationDtos } from "./load-conversation-dtos";

export interface ChangeConversationDeps {
  db: Db;
  /** Every console that may see the conversation learns of the change (conversation.updated). */
  live: LiveChanges;
  clock: () => Date;
}

type Loaded = { id: string; contactId: string; teamId: string | null; assigneeId: string | null; status: string };

async function dataFor(
  tx: DbTx,
  user: AccessUser,
  conversation: Loaded,
  action: ConversationAction,
  now: Date,
): Promise<Prisma.ConversationUncheckedUpdateInput> {
  switch (action.type) {
    case "assign": {
      const target = action.assigneeId;
      // Agents take a free conversation or give back their own; reassigning is for leads and admins (CONTRACT "Roles").
      if (user.role === "agent" && target !== null && target !== user.id) {
        throw new AppError("forbidden", "Only leads and admins can assign conversations to others.");
      }
      if (
        user.role === "agent" &&
        target === user.id &&
        conversation.assigneeId &&
        conversation.assigneeId !== user.id
      ) {
        throw new AppError("forbidden", "A colleague has this conversation; only leads and admins can reassign it.");
      }
      if (
        user.role === "agent" &&
        target === null &&
        conversation.assigneeId !== user.id &&
        conversation.assigneeId !== null
      ) {
        throw new AppError("forbidden", "Only leads and admins can unassign a colleague.");
      }
      if (target !== null) {
        if (!isUuid(target)) throw new AppError("not_found", "User not found.");
        const assignee = await tx.user.findUnique({ where: { id: target }, select: { isActive: true } });
        if (!assignee?.isActive) throw new AppError("not_found", "User not found.");
      }
      return { assigneeId: target, assignedAt: target ? now : null };
    }
    case "handover": {
      if (
        !isUuid(action.teamId) ||
        !(await tx.team.findUnique({ where: { id: action.teamId }, select: { id: true } }))
      ) {
        throw new AppError("not_found", "Team not found.");
      }
      return { teamId: action.teamId, assigneeId: null, assignedAt: null };
    }
    case "status": {
      if (action.status === "resolved") {
        return { status: "resolved", resolvedAt: now, activeContactId: null, snoozedUntil: null };
      }
      return { status: action.status, resolvedAt: null, activeContactId: conversation.contactId };
    }
    case "snooze": {
      const until = action.until ? new Date(action.until) : null;
      if (until && until <= now) throw new AppError("bad_request", "Snooze until a time in the future.");
      return until ? { snoozedUntil: until, status: "pending" } : { snoozedUntil: null, status: "open" };
    }
    case "labels": {
      const ids = [...new Set(action.labelIds)];
      if (ids.some((id) => !isUuid(id)) || (await tx.label.count({ where: { id: { in: ids } } })) !== ids.length) {
        throw new AppError("not_found", "Label not found.");
      }
      await tx.conversationLabel.deleteMany({ where: { conversationId: conversation.id, labelId: { notIn: ids } } });
      await tx.conversationLabel.createMany({
        data: ids.map((labelId) => ({ conversationId: conversation.id, labelId })),
        skipDuplicates: true,
      });
      return {};
    }
    case "read":
      return { unreadCount: 0, lastReadAt: now };
  }
}

/**
 * One conversation action (assign, hand over, resolve/reopen, snooze, labels, mark read): access checked on the
 * server, the change and its audit entry in one transaction, then a conversation.updated live event.
 */
export async function changeConversation(
  deps: ChangeConversationDeps,
  input: { user: AccessUser; conversationId: string; action: ConversationAction; ip?: string },
): Promise<ConversationDto> {
  const { user, conversationId, action } = input;
  if (!isUuid(conversationId)) throw new AppError("not_found", "Conversation not found.");
  const now = deps.clock();
  try {
    await deps.db.$transaction(async (tx) => {
      const conversation = await tx.conversation.findUnique({
        where: { id: conversationId },
        select: { id: true, contactId: true, teamId: true, assigneeId: true, status: true },
      });
      if (!conversation) throw new AppError("not_found", "Conversation not found.");
      if (!canAccessConversation(user, conversation))
        throw new AppError("forbidden", "You do not have access to this conversation.");
      const data = await dataFor(tx, user, conversation, action, now);
      await tx.conversation.update({ where: { id: conversationId }, data: { ...data, updatedAt: now } });
      await recordAudit(
        tx,
        { type: "user", userId: user.id, ip: input.ip },
        `conversation.${action.type}`,
        "conversation",
        conversationId,
        JSON.parse(JSON.stringify(action)) as Prisma.InputJsonObject,
      );
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("conflict", "The contact already has another open conversation.");
    }
    throw error;
  }
  deps.live.add({ conversationIds: [conversationId] });
  const [dto] = await loadConversationDtos(deps.db, [conversationId]);
  return dto!;
}
