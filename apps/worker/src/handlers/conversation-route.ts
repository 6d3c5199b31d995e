import { buildLiveEvents, routeNewConversation } from "@inbox/core";
import type { JobHandler } from "../registry";
import { livePublisherFor } from "./inbound-deps";

/** `conversation.route`: for now leaves the conversation unassigned in the channel's default team, then tells consoles. */
export const handleConversationRoute: JobHandler<"conversation.route"> = async ({ conversationId }, ctx) => {
  const id = await routeNewConversation(ctx.deps.db, conversationId);
  if (!id) return;
  await livePublisherFor(ctx.deps).publish(await buildLiveEvents(ctx.deps.db, { conversationIds: [id] }));
};
