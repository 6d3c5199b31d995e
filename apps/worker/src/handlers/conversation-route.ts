import { sendAutoReplies } from "@inbox/core";
import { conversationIdsOfRouteJob } from "@inbox/jobs";
import type { JobHandler } from "../context";

/**
 * `conversation.route`: every conversation a stored batch opened (or one, in the payload of jobs written before),
 * routed in one call of the process's router: routing rules pick the team, then auto-assignment; then the team's
 * greeting and (when nobody can take it or the team is closed) away text for those whose team has one; then one
 * live update for all of them. A repeated job changes and sends nothing twice.
 */
export const handleConversationRoute: JobHandler<"conversation.route"> = async (payload, ctx) => {
  const { deps } = ctx;
  const routed = await deps.routeConversations(conversationIdsOfRouteJob(payload));
  if (routed.autoReplyIds.length) {
    const replyDeps = {
      db: deps.db,
      pgPool: deps.pgPool,
      clock: deps.clock,
      onOutboxWritten: deps.onOutboxWritten,
      live: deps.live,
      secrets: deps.secrets,
      defaultLanguage: deps.env.DEFAULT_CUSTOMER_LANGUAGE,
    };
    // Each conversation's replies on their own (they go through the send rules one by one); all of them run to
    // their end before a failure fails the job, whose retry then repeats nothing that was sent.
    const outcomes = await Promise.allSettled(routed.autoReplyIds.map((id) => sendAutoReplies(replyDeps, id)));
    const failed = outcomes.find((o) => o.status === "rejected");
    if (failed) throw failed.reason;
  }
  if (routed.conversationIds.length) deps.live.add({ conversationIds: routed.conversationIds });
};
