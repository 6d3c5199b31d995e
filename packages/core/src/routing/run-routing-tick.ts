import { assignIfAbleInTx, assignQueues, onlineFor, type AssignmentDeps } from "./assign-queued-conversations";
import { decideTeam, loadRoutingFacts } from "./decide-team";
import { applyAbsences } from "./apply-absences";
import { recordAssignmentChanges } from "./record-assignment-changes";

const BATCH = 200;

/**
 * A reopened conversation (the customer wrote again after it was resolved) stays with its previous agent only when
 * that agent can take it now; otherwise it is routed like a new one (rules → team → queue). One transaction per
 * conversation with its row locked: it is never left unassigned outside the queue, and two processes never both act.
 */
async function rerouteReopened(deps: AssignmentDeps, changed: Set<string>): Promise<void> {
  const reopened = await deps.db.conversation.findMany({
    where: { reopenedAt: { not: null } },
    orderBy: { reopenedAt: "asc" },
    take: BATCH,
    select: { id: true, teamId: true },
  });
  for (const { id, teamId } of reopened) {
    const presence = teamId ? await onlineFor(deps, teamId) : null;
    const now = deps.clock?.() ?? new Date();
    const moved = await deps.db.$transaction(async (tx) => {
      const [row] = await tx.$queryRaw<{ assigneeId: string | null; teamId: string | null }[]>`
        SELECT "assigneeId", "teamId" FROM "Conversation" WHERE id = ${id}::uuid AND "reopenedAt" IS NOT NULL
           FOR UPDATE SKIP LOCKED`;
      if (!row) return false;
      await tx.conversation.update({ where: { id }, data: { reopenedAt: null, assigneeId: null, queuedAt: now } });
      if (row.assigneeId && row.teamId && presence && row.teamId === teamId) {
        // Kept by the agent who had it: no change to record.
        if (await assignIfAbleInTx(tx, presence, id, row.teamId, row.assigneeId, now, null)) return false;
      }
      const facts = await loadRoutingFacts(tx, id);
      const decision = facts ? await decideTeam(tx, facts) : null;
      if (decision?.teamId) await tx.conversation.update({ where: { id }, data: { teamId: decision.teamId } });
      if (row.assigneeId) {
        const change = {
          conversationId: id,
          fromUserId: row.assigneeId,
          toUserId: null,
          teamId: decision?.teamId ?? row.teamId,
          reason: "reopened" as const,
        };
        await recordAssignmentChanges(tx, { type: "system" }, [change], now);
      }
      return true;
    });
    if (moved) changed.add(id);
  }
}

/**
 * What routing does on a timer in every worker process (safe to run concurrently): reopened conversations are
 * checked, then every team's queue is assigned to whoever became able meanwhile (came back, resolved, got capacity,
 * absence ended). Returns the ids of conversations that changed.
 */
export async function runRoutingTick(deps: AssignmentDeps): Promise<string[]> {
  const changed = new Set<string>(await applyAbsences(deps.db, deps.clock?.() ?? new Date()));
  await rerouteReopened(deps, changed);
  for (const a of await assignQueues(deps)) changed.add(a.conversationId);
  return [...changed];
}
