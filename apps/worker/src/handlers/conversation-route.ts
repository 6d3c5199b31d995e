import { buildLiveEvents, queueGreeting, routeNewConversation } from "@inbox/core";
import type { JobHandler } from "../registry";
import { livePublisherFor } from "./inbound-deps";

/**
 * `conversation.route`: for now leaves the conversation unassigned in the channel's default team, queues the greeting
 * (when configured), then tells consoles.
 */
export const handleConversationRoute: JobHandler<"conversation.route"> = async ({ conversationId }, ctx) => {
  const id = await routeNewConversation(ctx.deps.db, conversationId);
  if (!id) return;
  // The greeting (when configured) goes out in the customer's language once the conversation has its team.
  const greetingId = await queueGreeting({ db: ctx.deps.db }, id);
  await livePublisherFor(ctx.deps).publish(
    await buildLiveEvents(ctx.deps.db, { conversationIds: [id], createdMessageIds: greetingId ? [greetingId] : [] }),
  );
};
