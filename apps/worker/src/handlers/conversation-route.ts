import { sendAutoReplies } from "@inbox/core";
import type { JobHandler } from "../context";

/**
 * `conversation.route`: routing rules pick the team, then auto-assignment, then the team's greeting and (when nobody
 * can take it or the team is closed) away text; then tells consoles. A repeated job sends nothing twice.
 */
export const handleConversationRoute: JobHandler<"conversation.route"> = async ({ conversationId }, ctx) => {
  const { deps } = ctx;
  const routed = await deps.routeConversation(conversationId);
  if (!routed?.conversationIds.length) return;
  if (routed.hasAutoReplies) {
    await sendAutoReplies(
      {
        db: deps.db,
        clock: deps.clock,
        onOutboxWritten: deps.onOutboxWritten,
        live: deps.live,
        secrets: deps.secrets,
        defaultLanguage: deps.env.DEFAULT_CUSTOMER_LANGUAGE,
      },
      conversationId,
    );
  }
  deps.live.add({ conversationIds: routed.conversationIds });
};
