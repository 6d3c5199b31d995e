import { isThroughputWait, sendQueuedMessage, type SendQueuedMessageDeps } from "@inbox/core";
import type { Logger } from "@inbox/logger";
import type { JobHandler, WorkerDeps } from "../context";
import { computeThroughputDeferral } from "../outbound/backoff";
import { MAX_SLOT_LATENESS_MS } from "../outbound/rate-limiter";

/**
 * A send waits this long inline for its slot; a longer wait defers the job (it frees its place among the queue's
 * concurrent jobs for other numbers' sends) until its slot is near.
 */
const MAX_INLINE_WAIT_MS = 7_000;
/**
 * Starts of one job beyond which a throughput wait is treated as a failure after all (BullMQ backoff, an attempt
 * used): a bound, so a number Meta keeps refusing cannot keep a job deferred for ever.
 */
const MAX_THROUGHPUT_DEFERRALS = 100;

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
    countThrottling: (event) => deps.metrics.sendThrottling.inc({ event }),
    dispatchGate: deps.dispatchGate,
    statements: deps.statements,
    media: { store: deps.media, uploader: deps.graph },
  };
}

/**
 * `message.send`: one stored message through the Graph API. A send that only waits for the number's throughput
 * (no slot within MAX_INLINE_WAIT_MS, or 130429 again after re-booking) is deferred to its slot without using an
 * attempt: nothing failed. Other retryable failures throw (RetryableSendError), so BullMQ retries with the outbound
 * backoff; everything else ends in the message's stored state.
 */
export const handleMessageSend: JobHandler<"message.send"> = async ({ messageId }, ctx) => {
  const { metrics } = ctx.deps;
  const result = await sendQueuedMessage(sendDepsFor(ctx.deps, ctx.log), {
    messageId,
    isLastAttempt: ctx.attemptsMade + 1 >= ctx.maxAttempts,
  }).catch(async (error: unknown) => {
    if (isThroughputWait(error) && ctx.startedCount <= MAX_THROUGHPUT_DEFERRALS) {
      metrics.sendThrottling.inc({ event: "deferred" });
      return ctx.defer(Date.now() + computeThroughputDeferral(error, MAX_INLINE_WAIT_MS));
    }
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
