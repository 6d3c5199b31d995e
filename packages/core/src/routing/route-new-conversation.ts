import { assignConversationIfAble, type AssignmentDeps, type QueueAssigner } from "./assign-queued-conversations";
import { loadRouteState } from "./decide-team";
import { findMatchingRule } from "./match-routing-rules";

/** What routing a new conversation needs: auto-assignment's dependencies and the process's queue assigner. */
export interface RoutingDeps extends AssignmentDeps {
  assignQueue: QueueAssigner;
}

export interface RouteResult {
  /** Conversations whose assignment or team changed (the caller publishes conversation.updated). */
  conversationIds: string[];
  /** The conversation's team has a greeting or away text configured (the caller runs sendAutoReplies). */
  hasAutoReplies: boolean;
}

/**
 * Routing of a new conversation (the worker's `conversation.route` job): the first matching routing rule's team, else
 * the channel's default team. A returning customer goes back to their previous agent when that agent can take it;
 * otherwise the conversation joins the team's queue, which is then assigned by the team's mode (the process's
 * queue assigner: one run for every conversation queued meanwhile). Runs once per conversation: one that is already
 * queued or assigned is left alone, so a repeated job changes nothing. Everything routing reads — the conversation,
 * its facts, the rules, the previous agent — comes in one statement. null: the conversation does not exist.
 */
export async function routeNewConversation(deps: RoutingDeps, conversationId: string): Promise<RouteResult | null> {
  const { db } = deps;
  const state = await loadRouteState(db, conversationId);
  if (!state) return null;
  if (state.assigneeId || state.status === "resolved") return { conversationIds: [], hasAutoReplies: false };
  let teamId = state.teamId;
  if (!state.queuedAt) {
    const rule = state.rules[findMatchingRule(state.rules, state.facts)];
    teamId = rule?.teamId ?? state.defaultTeamId ?? state.teamId;
    await db.conversation.updateMany({
      where: { id: conversationId, assigneeId: null, queuedAt: null },
      data: { teamId, queuedAt: deps.clock?.() ?? new Date() },
    });
  }
  const hasAutoReplies = teamId !== null && state.autoReplyTeamIds.includes(teamId);
  if (!teamId) return { conversationIds: [conversationId], hasAutoReplies };
  const previous = state.previousAssigneeId;
  if (previous && (await assignConversationIfAble(deps, conversationId, teamId, previous))) {
    return { conversationIds: [conversationId], hasAutoReplies };
  }
  const assigned = await deps.assignQueue(teamId);
  return {
    conversationIds: [...new Set([conversationId, ...assigned.map((a) => a.conversationId)])],
    hasAutoReplies,
  };
}
