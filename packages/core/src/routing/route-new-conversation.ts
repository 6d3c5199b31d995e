import { Prisma, sqlTimestamp } from "@inbox/db";
import { createGroupCommit } from "../batching/group-commit";
import {
  assignConversationIfAble,
  sqlOf,
  type Assignment,
  type AssignmentDeps,
  type QueueAssigner,
} from "./assign-queued-conversations";
import { loadRouteStates } from "./decide-team";
import { findMatchingRule } from "./match-routing-rules";

/** What routing a new conversation needs: auto-assignment's dependencies and the process's queue assigner. */
export interface RoutingDeps extends AssignmentDeps {
  assignQueue: QueueAssigner;
}

/** Routing's outcome for one conversation. */
interface RouteResult {
  /** Conversations whose assignment or team changed (the conversation itself and what its team's queue run assigned). */
  conversationIds: string[];
  /** The conversation's team has a greeting or away text configured. */
  hasAutoReplies: boolean;
}

/**
 * Routing of new conversations (the worker's `conversation.route` jobs): the first matching routing rule's team,
 * else the channel's default team. A returning customer goes back to their previous agent when that agent can take
 * it; otherwise the conversation joins the team's queue, which is then assigned by the team's mode (the process's
 * queue assigner: one run for every conversation queued meanwhile). Runs once per conversation: one that is already
 * queued or assigned is left alone, so a repeated job changes nothing. Everything routing reads comes in one
 * statement and the queue entries are written in one, for all the given conversations together, each marked routed
 * (`routedAt`, which the sweep of lost route jobs looks for).
 * The map holds a result per conversation that exists.
 */
async function routeNewConversations(
  deps: RoutingDeps,
  conversationIds: readonly string[],
): Promise<Map<string, RouteResult>> {
  const run = sqlOf(deps);
  const states = await loadRouteStates(run, conversationIds);
  const results = new Map<string, RouteResult>();
  const open: { id: string; teamId: string | null; previous: string | null; hasAutoReplies: boolean }[] = [];
  const toQueue: { id: string; teamId: string | null }[] = [];
  for (const [id, state] of states) {
    if (state.assigneeId || state.status === "resolved") {
      results.set(id, { conversationIds: [], hasAutoReplies: false });
      continue;
    }
    let teamId = state.teamId;
    if (!state.queuedAt) {
      const rule = state.rules[findMatchingRule(state.rules, state.facts)];
      teamId = rule?.teamId ?? state.defaultTeamId ?? state.teamId;
      toQueue.push({ id, teamId });
    }
    const hasAutoReplies = teamId !== null && state.autoReplyTeamIds.includes(teamId);
    open.push({ id, teamId, previous: state.previousAssigneeId, hasAutoReplies });
  }
  // Queued (a team's queue is assigned by the routing tick too, whatever happens to this job) is routed: the sweep of
  // lost route jobs (sweep-unrouted-conversations.ts) leaves it alone from now on. So are the ones routing leaves
  // alone: assigned meanwhile, resolved, or already queued by an earlier run of the job.
  const now = deps.clock?.() ?? new Date();
  const marked = new Set<string>();
  if (toQueue.length) {
    const rows = await run<{ id: string }>(Prisma.sql`
      UPDATE "Conversation" c SET "teamId" = i.team, "queuedAt" = ${sqlTimestamp(now)},
             "routedAt" = coalesce(c."routedAt", ${sqlTimestamp(now)}), "updatedAt" = ${sqlTimestamp(now)}
        FROM unnest(${toQueue.map((q) => q.id)}::uuid[], ${toQueue.map((q) => q.teamId)}::uuid[]) AS i(id, team)
       WHERE c.id = i.id AND c."assigneeId" IS NULL AND c."queuedAt" IS NULL
      RETURNING c.id`);
    for (const row of rows) marked.add(row.id);
  }
  const unmarked = [...states].filter(([id, state]) => !state.routedAt && !marked.has(id)).map(([id]) => id);
  if (unmarked.length) {
    await run(Prisma.sql`
      UPDATE "Conversation" SET "routedAt" = ${sqlTimestamp(now)} WHERE id = ANY (${unmarked}::uuid[]) AND "routedAt" IS NULL`);
  }
  // Returning customers first (their previous agent, if able), then one queue run per team for the rest.
  const queued: typeof open = [];
  for (const c of open) {
    if (!c.teamId) results.set(c.id, { conversationIds: [c.id], hasAutoReplies: c.hasAutoReplies });
    else if (c.previous && (await assignConversationIfAble(deps, c.id, c.teamId, c.previous))) {
      results.set(c.id, { conversationIds: [c.id], hasAutoReplies: c.hasAutoReplies });
    } else queued.push(c);
  }
  const runs = new Map<string, Promise<Assignment[]>>();
  for (const c of queued) if (!runs.has(c.teamId!)) runs.set(c.teamId!, deps.assignQueue(c.teamId!));
  for (const c of queued) {
    const assigned = await runs.get(c.teamId!)!;
    results.set(c.id, {
      conversationIds: [...new Set([c.id, ...assigned.map((a) => a.conversationId)])],
      hasAutoReplies: c.hasAutoReplies,
    });
  }
  return results;
}

/** Routes new conversations (see createConversationRouter). */
export type ConversationRouter = (conversationIds: readonly string[]) => Promise<RoutedConversations>;

/** What routing some conversations changed, for the caller's auto replies and live updates. */
interface RoutedConversations {
  /** Conversations whose assignment or team changed (the caller publishes conversation.updated once for them). */
  conversationIds: string[];
  /** The given conversations routed to a team with a greeting or away text (the caller runs sendAutoReplies). */
  autoReplyIds: string[];
}

/**
 * One router per process: the conversations of a route job (every one a stored batch opened) and of route jobs that
 * run at the same time are routed together, up to 100 per batch (one read, one queue write and one queue run per
 * team for all of them), so a burst of new conversations costs a few statements per batch instead of a few per
 * conversation. A lone job is routed at once.
 */
export function createConversationRouter(deps: RoutingDeps): ConversationRouter {
  const batches = createGroupCommit<string, RouteResult | null>(
    async (batch) => {
      const results = await routeNewConversations(
        deps,
        batch.map((p) => p.input),
      );
      for (const p of batch) p.resolve(results.get(p.input) ?? null);
    },
    { maxBatch: 100, maxConcurrent: 2 },
  );
  return async (conversationIds) => {
    const unique = [...new Set(conversationIds)];
    const results = await batches.submitAll(unique);
    const changed = new Set<string>();
    const autoReplyIds: string[] = [];
    results.forEach((result, i) => {
      if (!result?.conversationIds.length) return;
      for (const id of result.conversationIds) changed.add(id);
      if (result.hasAutoReplies) autoReplyIds.push(unique[i]!);
    });
    return { conversationIds: [...changed], autoReplyIds };
  };
}
