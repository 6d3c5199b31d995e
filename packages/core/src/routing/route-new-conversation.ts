import {
  assignConversationIfAble,
  assignQueuedConversations,
  type AssignmentDeps,
} from "./assign-queued-conversations";
import { decideTeam, loadRoutingFacts } from "./decide-team";

/**
 * Routing of a new conversation (the worker's `conversation.route` job): the first matching routing rule's team, else
 * the channel's default team. A returning customer goes back to their previous agent when that agent can take it;
 * otherwise the conversation joins the team's queue, which is then assigned by the team's mode. Runs once per
 * conversation: one that is already queued or assigned is left alone, so a repeated job changes nothing.
 * Returns the ids of conversations whose assignment or team changed (the caller publishes conversation.updated),
 * or null when the conversation does not exist.
 */
export async function routeNewConversation(deps: AssignmentDeps, conversationId: string): Promise<string[] | null> {
  const { db } = deps;
  const current = await db.conversation.findUnique({
    where: { id: conversationId },
    select: { id: true, contactId: true, assigneeId: true, queuedAt: true, status: true, teamId: true },
  });
  if (!current) return null;
  if (current.assigneeId || current.status === "resolved") return [];
  let teamId = current.teamId;
  if (!current.queuedAt) {
    const facts = await loadRoutingFacts(db, conversationId);
    if (!facts) return null;
    const decision = await decideTeam(db, facts);
    teamId = decision.teamId ?? current.teamId;
    await db.conversation.updateMany({
      where: { id: conversationId, assigneeId: null, queuedAt: null },
      data: { teamId, queuedAt: deps.clock?.() ?? new Date() },
    });
  }
  if (!teamId) return [conversationId];
  const previous = await db.conversation.findFirst({
    where: { contactId: current.contactId, id: { not: conversationId }, assigneeId: { not: null } },
    orderBy: { createdAt: "desc" },
    select: { assigneeId: true },
  });
  if (previous?.assigneeId && (await assignConversationIfAble(deps, conversationId, teamId, previous.assigneeId))) {
    return [conversationId];
  }
  const assigned = await assignQueuedConversations(deps, teamId);
  return [...new Set([conversationId, ...assigned.map((a) => a.conversationId)])];
}
