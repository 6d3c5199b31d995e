import type { Db } from "@inbox/db";
import { decideTeam, loadRoutingFacts } from "./decide-team";

/**
 * Routing of a new conversation (the worker's `conversation.route` job): the first matching routing rule's team, else
 * the channel's default team; the conversation then waits in that team's queue. Runs once per conversation: one that
 * is already queued or assigned is left alone, so a repeated job changes nothing.
 * Returns the conversation id when it exists (the caller publishes conversation.updated).
 */
export async function routeNewConversation(db: Db, conversationId: string, now = new Date()): Promise<string | null> {
  const current = await db.conversation.findUnique({
    where: { id: conversationId },
    select: { id: true, assigneeId: true, queuedAt: true, status: true },
  });
  if (!current) return null;
  if (current.assigneeId || current.queuedAt || current.status === "resolved") return current.id;
  const facts = await loadRoutingFacts(db, conversationId);
  if (!facts) return null;
  const decision = await decideTeam(db, facts);
  await db.conversation.updateMany({
    where: { id: conversationId, assigneeId: null, queuedAt: null },
    data: { ...(decision.teamId ? { teamId: decision.teamId } : {}), queuedAt: now },
  });
  return current.id;
}
