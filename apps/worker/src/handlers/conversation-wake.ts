import { buildLiveEvents, wakeSnoozedConversations } from "@inbox/core";
import type { JobHandler } from "../registry";
import { livePublisherFor } from "./inbound-deps";

/** `conversation.wake` (every minute): snoozed conversations whose time has come reopen, live in every console. */
export const handleConversationWake: JobHandler<"conversation.wake"> = async (_payload, ctx) => {
  const ids = await wakeSnoozedConversations(ctx.deps.db, ctx.deps.clock?.() ?? new Date());
  if (ids.length === 0) return;
  ctx.log.info({ count: ids.length }, "snoozed conversations reopened");
  await livePublisherFor(ctx.deps).publish(await buildLiveEvents(ctx.deps.db, { conversationIds: ids }));
};
