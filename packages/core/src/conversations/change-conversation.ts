import type { ConversationAction, ConversationDto } from "@inbox/contracts";
import { isUniqueViolation, toJsonValue, type Db, type DbTx, type Prisma } from "@inbox/db";
import { AppError } from "../errors/app-error";
import { recordAudit } from "../audit/record-audit";
import { isUuid } from "../shared/ids";
import { recordAssignmentChanges } from "../routing/record-assignment-changes";
import { assertMayReassign, findLedTeamIds, planReassignment } from "./reassignment-rules";
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
  conversation: Loaded,
  action: Exclude<ConversationAction, { type: "assign" | "handover" }>,
  now: Date,
): Promise<Prisma.ConversationUncheckedUpdateInput> {
  switch (action.type) {
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
  const createdMessageIds: string[] = [];
  try {
    await deps.db.$transaction(async (tx) => {
      const conversation = await tx.conversation.findUnique({
        where: { id: conversationId },
        select: { id: true, contactId: true, teamId: true, assigneeId: true, status: true },
      });
      if (!conversation) throw new AppError("not_found", "Conversation not found.");
      if (!canAccessConversation(user, conversation))
        throw new AppError("forbidden", "You do not have access to this conversation.");
      if (action.type === "assign" || action.type === "handover") {
        const target = action.type === "assign" ? { assigneeId: action.assigneeId } : { teamId: action.teamId };
        const ledTeamIds = user.role === "lead" ? await findLedTeamIds(tx, user.id) : [];
        assertMayReassign(user, ledTeamIds, conversation, target);
        const reason = action.type === "assign" ? "manual" : "handover";
        const { data, change } = await planReassignment(tx, conversation, target, reason, now);
        await tx.conversation.update({ where: { id: conversationId }, data: { ...data, updatedAt: now } });
        const actor = { type: "user" as const, userId: user.id, ip: input.ip };
        if (change) createdMessageIds.push(...(await recordAssignmentChanges(tx, actor, [change], now)));
        return;
      }
      const data = await dataFor(tx, conversation, action, now);
      await tx.conversation.update({ where: { id: conversationId }, data: { ...data, updatedAt: now } });
      await recordAudit(
        tx,
        { type: "user", userId: user.id, ip: input.ip },
        `conversation.${action.type}`,
        "conversation",
        conversationId,
        toJsonValue<Prisma.InputJsonObject>(action),
      );
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("conflict", "The contact already has another open conversation.");
    }
    throw error;
  }
  deps.live.add({ conversationIds: [conversationId], createdMessageIds });
  const [dto] = await loadConversationDtos(deps.db, [conversationId]);
  return dto!;
}
