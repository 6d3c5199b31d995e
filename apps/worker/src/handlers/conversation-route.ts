import { routeNewConversation } from "@inbox/core";
import type { JobHandler } from "../context";

/** `conversation.route`: for now leaves the conversation unassigned in the channel's default team, then tells consoles. */
export const handleConversationRoute: JobHandler<"conversation.route"> = async ({ conversationId }, ctx) => {
  const id = await routeNewConversation(ctx.deps.db, conversationId);
  if (id) ctx.deps.live.add({ conversationIds: [id] });
};
