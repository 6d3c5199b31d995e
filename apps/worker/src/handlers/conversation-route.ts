import { buildLiveEvents, createPresence, routeNewConversation, sendAutoReplies } from "@inbox/core";
import type { JobHandler, WorkerDeps } from "../registry";
import { livePublisherFor } from "./inbound-deps";

/** Auto-assignment deps of the worker: its database, the consoles' presence in Redis, its clock. */
export const assignmentDepsFor = (deps: WorkerDeps) => {
  const presence = createPresence(deps.redis, deps.queues.prefix);
  return { db: deps.db, onlineUserIds: () => presence.online(), ...(deps.clock ? { clock: deps.clock } : {}) };
};

/**
 * `conversation.route`: routing rules pick the team, then auto-assignment, then the team's greeting and (when nobody
 * can take it or the team is closed) away text; then tells consoles. A repeated job sends nothing twice.
 */
export const handleConversationRoute: JobHandler<"conversation.route"> = async ({ conversationId }, ctx) => {
  const ids = await routeNewConversation(assignmentDepsFor(ctx.deps), conversationId);
  if (!ids?.length) return;
  const live = livePublisherFor(ctx.deps);
  await sendAutoReplies(
    { db: ctx.deps.db, live, ...(ctx.deps.clock ? { clock: ctx.deps.clock } : {}) },
    conversationId,
  );
  await live.publish(await buildLiveEvents(ctx.deps.db, { conversationIds: ids }));
};
