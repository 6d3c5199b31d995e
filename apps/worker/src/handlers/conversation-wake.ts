import { wakeSnoozedConversations } from "@inbox/core";
import type { JobHandler } from "../context";

/** `conversation.wake` (every minute): snoozed conversations whose time has come reopen, live in every console. */
export const handleConversationWake: JobHandler<"conversation.wake"> = async (_payload, ctx) => {
  const ids = await wakeSnoozedConversations(ctx.deps.db, ctx.deps.clock());
  if (ids.length === 0) return;
  ctx.log.info({ count: ids.length }, "snoozed conversations reopened");
  ctx.deps.live.add({ conversationIds: ids });
};
