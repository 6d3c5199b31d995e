import type { BulkReassignBody, BulkReassignResponse } from "@inbox/contracts";
import { isUniqueViolation, type Db } from "@inbox/db";
import { AppError, isAppError } from "../errors/app-error";
import { isUuid } from "../shared/ids";
import type { LiveChanges } from "../shared/live-changes";
import { recordAssignmentChanges } from "../routing/record-assignment-changes";
import { canAccessConversation, type AccessUser } from "./can-access-conversation";
import { assertMayReassign, findLedTeamIds, planReassignment } from "./reassignment-rules";

export interface ReassignConversationsDeps {
  db: Db;
  live: LiveChanges;
  clock: () => Date;
}

/**
 * Bulk reassignment by a lead (in the teams they lead) or an admin: each conversation in its own transaction under
 * the same rules as a single reassignment, so one the user may not touch is refused with its code while the others
 * move. A conversation that moved gets the timeline line, the audit entry and, when given, the internal note.
 * Returns one result per conversation and the team ids whose queues gained conversations (to auto-assign them).
 */
export async function reassignConversations(
  deps: ReassignConversationsDeps,
  input: { user: AccessUser; body: BulkReassignBody; ip?: string },
): Promise<BulkReassignResponse & { queuedTeamIds: string[] }> {
  const { user, body } = input;
  if (user.role === "agent") throw new AppError("forbidden", "Bulk reassignment is for leads and admins.");
  const target = {
    ...(body.assigneeId !== undefined ? { assigneeId: body.assigneeId } : {}),
    ...(body.teamId !== undefined ? { teamId: body.teamId } : {}),
  };
  const actor = { type: "user" as const, userId: user.id, ip: input.ip };
  const ledTeamIds = user.role === "lead" ? await findLedTeamIds(deps.db, user.id) : [];
  const results: BulkReassignResponse["results"] = [];
  const createdMessageIds: string[] = [];
  const changedIds: string[] = [];
  const queuedTeamIds = new Set<string>();
  for (const conversationId of [...new Set(body.conversationIds)]) {
    const now = deps.clock();
    try {
      const moved = await deps.db.$transaction(async (tx) => {
        const conversation = isUuid(conversationId)
          ? await tx.conversation.findUnique({
              where: { id: conversationId },
              select: { id: true, teamId: true, assigneeId: true, channelId: true },
            })
          : null;
        if (!conversation) throw new AppError("not_found", "Conversation not found.");
        if (!canAccessConversation(user, conversation)) {
          throw new AppError("forbidden", "You do not have access to this conversation.");
        }
        assertMayReassign(user, ledTeamIds, conversation, target);
        const { data, change } = await planReassignment(tx, conversation, target, "bulk", now);
        if (!change) return false;
        await tx.conversation.update({ where: { id: conversationId }, data: { ...data, updatedAt: now } });
        createdMessageIds.push(...(await recordAssignmentChanges(tx, actor, [{ ...change, note: body.note }], now)));
        if (body.note) {
          const note = await tx.message.create({
            data: {
              conversationId,
              channelId: conversation.channelId,
              direction: "outbound",
              type: "note",
              text: body.note,
              isPrivate: true,
              status: "sent",
              senderId: user.id,
              // Right after the assignment line, so the timeline shows the move and then why.
              createdAt: new Date(now.getTime() + 1),
            },
            select: { id: true },
          });
          createdMessageIds.push(note.id);
        }
        if (!change.toUserId && change.teamId) queuedTeamIds.add(change.teamId);
        return true;
      });
      if (moved) changedIds.push(conversationId);
      results.push({ conversationId, isMoved: moved, code: null, message: null });
    } catch (error) {
      if (isAppError(error) && error.status < 500) {
        results.push({ conversationId, isMoved: false, code: error.code, message: error.message });
      } else if (isUniqueViolation(error)) {
        results.push({ conversationId, isMoved: false, code: "conflict", message: "Changed meanwhile; try again." });
      } else {
        throw error;
      }
    }
  }
  if (changedIds.length) deps.live.add({ conversationIds: changedIds, createdMessageIds });
  return {
    moved: results.filter((r) => r.isMoved).length,
    refused: results.filter((r) => r.code !== null).length,
    results,
    queuedTeamIds: [...queuedTeamIds],
  };
}
