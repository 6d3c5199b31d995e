import { sendQueuedMessage, type SendQueuedMessageDeps } from "@inbox/core";
import type { Logger } from "@inbox/logger";
import type { JobHandler, WorkerDeps } from "../context";
import { MAX_SLOT_LATENESS_MS } from "../outbound/rate-limiter";

/** A send waits this long inline for its slot; a longer wait becomes a delayed retry (the job frees its slot). */
const MAX_INLINE_WAIT_MS = 7_000;

/** The send use case's dependencies, from the worker's services. */
export function sendDepsFor(deps: WorkerDeps, log: Logger): SendQueuedMessageDeps {
  return {
    db: deps.db,
    graph: deps.sender,
    log,
    clock: deps.clock,
    throttle: deps.throttle,
    reconcileGraceMs: deps.reconcileGraceMs,
    live: deps.live,
    maxInlineWaitMs: MAX_INLINE_WAIT_MS,
    maxSlotLatenessMs: MAX_SLOT_LATENESS_MS,
    dispatchGate: deps.dispatchGate,
    statements: deps.statements,
    media: { store: deps.media, uploader: deps.graph },
  };
}

/**
 * `message.send`: one stored message through the Graph API. Retryable failures throw (RetryableSendError), so
 * BullMQ retries with the outbound backoff; everything else ends in the message's stored state.
 */
export const handleMessageSend: JobHandler<"message.send"> = async ({ messageId }, ctx) => {
  const { metrics } = ctx.deps;
  const result = await sendQueuedMessage(sendDepsFor(ctx.deps, ctx.log), {
    messageId,
    isLastAttempt: ctx.attemptsMade + 1 >= ctx.maxAttempts,
  }).catch((error: unknown) => {
    // Retryable (BullMQ tries again with the outbound backoff): counted as a retry with Meta's code where known.
    const code = (error as { code?: unknown }).code;
    const errorCode = typeof code === "string" || typeof code === "number" ? String(code) : "";
    metrics.sendOutcomes.inc({ outcome: "retried", error_code: errorCode });
    throw error;
  });
  if (result.outcome === "sent") metrics.sendOutcomes.inc({ outcome: "sent", error_code: "" });
  else if (result.outcome === "failed") {
    metrics.sendOutcomes.inc({ outcome: "failed", error_code: result.code });
    if (SEND_REFUSALS.has(result.code)) metrics.sendRefusals.inc({ code: result.code });
  } else if (result.outcome === "channel_paused") metrics.sendOutcomes.inc({ outcome: "paused", error_code: "190" });
  ctx.log.debug({ messageId, outcome: result.outcome }, "message.send handled");
};

/** Policy refusals at send time (the rules are checked again when the job runs). */
const SEND_REFUSALS = new Set(["window_closed", "consent_missing", "opted_out"]);
