import type { DbTx, Prisma } from "@inbox/db";
import { AppError } from "../errors/app-error";
import { isUuid } from "../shared/ids";
import type { AssignmentChange, AssignmentReason } from "../routing/record-assignment-changes";
import type { AccessUser } from "./can-access-conversation";

/** Where a conversation should go: an assignee (null: nobody), a team, or both. */
export interface ReassignTarget {
  assigneeId?: string | null;
  teamId?: string;
}

export interface ReassignableConversation {
  id: string;
  teamId: string | null;
  assigneeId: string | null;
}

/** The teams the user leads (membership role `lead`). */
export async function findLedTeamIds(tx: DbTx, userId: string): Promise<string[]> {
  const rows = await tx.teamMembership.findMany({ where: { userId, role: "lead" }, select: { teamId: true } });
  return rows.map((r) => r.teamId);
}

/**
 * Who may move a conversation where (CONTRACT "Roles", issue 13 "Reassignment rules"): agents take unassigned
 * conversations of their teams, give back their own and hand their own (or their team's unassigned ones) over to a
 * team; taking a conversation away from a colleague or giving one to someone else is for leads — in the teams they
 * lead — and admins. Throws assignment_forbidden with the reason. Pure: `ledTeamIds` is loaded by the caller.
 */
export function assertMayReassign(
  user: AccessUser,
  ledTeamIds: readonly string[],
  conversation: ReassignableConversation,
  target: ReassignTarget,
): void {
  if (user.role === "admin") return;
  const current = conversation.assigneeId;
  const isColleagues = current !== null && current !== user.id;
  const toOther = target.assigneeId !== undefined && target.assigneeId !== null && target.assigneeId !== user.id;
  const leads = user.role === "lead" && conversation.teamId !== null && ledTeamIds.includes(conversation.teamId);
  if (isColleagues || toOther) {
    if (leads) return;
    throw new AppError(
      "assignment_forbidden",
      user.role === "lead"
        ? "Leads reassign conversations only in the teams they lead."
        : isColleagues
          ? "A colleague has this conversation; only leads and admins take it away."
          : "Only leads and admins assign conversations to others.",
    );
  }
  // Taking an unassigned conversation: only one of the user's own teams.
  if (target.assigneeId === user.id && current === null) {
    if (!conversation.teamId || !user.teamIds.includes(conversation.teamId)) {
      throw new AppError("assignment_forbidden", "Agents take unassigned conversations of their own teams only.");
    }
  }
}

/** Checks the target (active user, existing team) and gives the update and the timeline change. */
export async function planReassignment(
  tx: DbTx,
  conversation: ReassignableConversation,
  target: ReassignTarget,
  reason: AssignmentReason,
  now: Date,
): Promise<{ data: Prisma.ConversationUncheckedUpdateInput; change: AssignmentChange | null }> {
  const teamId = target.teamId ?? conversation.teamId;
  if (target.teamId !== undefined) {
    if (!isUuid(target.teamId) || !(await tx.team.findUnique({ where: { id: target.teamId }, select: { id: true } }))) {
      throw new AppError("not_found", "Team not found.");
    }
  }
  // Handing over to a team without naming anyone: nobody has it, it waits in that team's queue.
  const assigneeId =
    target.assigneeId !== undefined ? target.assigneeId : target.teamId ? null : conversation.assigneeId;
  if (assigneeId) {
    if (!isUuid(assigneeId)) throw new AppError("not_found", "User not found.");
    const assignee = await tx.user.findUnique({ where: { id: assigneeId }, select: { isActive: true } });
    if (!assignee?.isActive) throw new AppError("not_found", "User not found.");
  }
  const data: Prisma.ConversationUncheckedUpdateInput = assigneeId
    ? { teamId, assigneeId, assignedAt: now, queuedAt: null, coveredForId: null }
    : { teamId, assigneeId: null, assignedAt: null, queuedAt: teamId ? now : null, coveredForId: null };
  const isChange = assigneeId !== conversation.assigneeId || teamId !== conversation.teamId;
  return {
    data,
    change: isChange
      ? { conversationId: conversation.id, fromUserId: conversation.assigneeId, toUserId: assigneeId, teamId, reason }
      : null,
  };
}
