import { confirmConsentKeyword } from "@inbox/core";
import type { JobHandler } from "../context";

/**
 * `consent.confirm`: queues the configured confirmation text as an outbound message (+ `message.send` job in the
 * same transaction); sending is the outbound pipeline's job.
 */
export const handleConsentConfirm: JobHandler<"consent.confirm"> = async (payload, ctx) => {
  const { messageId } = await confirmConsentKeyword(ctx.deps.db, {
    ...payload,
    defaultLanguage: ctx.deps.env.DEFAULT_CUSTOMER_LANGUAGE,
  });
  ctx.log.debug({ contactId: payload.contactId, kind: payload.kind, queued: !!messageId }, "consent.confirm handled");
  if (messageId) {
    ctx.deps.onOutboxWritten();
    ctx.deps.live.add({ createdMessageIds: [messageId] });
  }
};
