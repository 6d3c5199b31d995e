import type { DbTx } from "@inbox/db";
import type { Actor } from "../audit/record-audit";
import { decideTeam, loadRoutingFacts } from "./decide-team";
import { recordAssignmentChanges, type AssignmentChange } from "./record-assignment-changes";

/**
 * Offboarding, in the transaction that deactivates the user: their open conversations are re-routed by the rules —
 * each keeps its team (a conversation without one gets the team the routing rules give it) and waits in that team's
 * queue, where auto-assignment takes it; nothing stays with someone who can no longer sign in. Their messages,
 * notes and audit entries stay attributed to them. Conversations covered for them no longer return to them.
 * Returns the conversations that moved and the teams whose queues to drain after the commit.
 */
export async function offboardUserInTx(
  tx: DbTx,
  actor: Actor,
  userId: string,
  now: Date,
): Promise<{ conversationIds: string[]; teamIds: string[]; messageIds: string[] }> {
  const open = await tx.conversation.findMany({
    where: { assigneeId: userId, status: { not: "resolved" } },
    orderBy: { lastMessageAt: "asc" },
    select: { id: true, teamId: true },
  });
  const changes: AssignmentChange[] = [];
  for (const c of open) {
    let teamId = c.teamId;
    if (!teamId) {
      const facts = await loadRoutingFacts(tx, c.id);
      teamId = facts ? (await decideTeam(tx, facts)).teamId : null;
    }
    await tx.conversation.update({
      where: { id: c.id },
      data: { assigneeId: null, assignedAt: null, teamId, queuedAt: teamId ? now : null, coveredForId: null },
    });
    changes.push({ conversationId: c.id, fromUserId: userId, toUserId: null, teamId, reason: "offboarding" });
  }
  await tx.conversation.updateMany({ where: { coveredForId: userId }, data: { coveredForId: null } });
  const messageIds = await recordAssignmentChanges(tx, actor, changes, now);
  return {
    conversationIds: changes.map((c) => c.conversationId),
    teamIds: [...new Set(changes.flatMap((c) => (c.teamId ? [c.teamId] : [])))],
    messageIds,
  };
}
