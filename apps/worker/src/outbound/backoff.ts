import { isRetryableSendError, type RetryableSendError } from "@inbox/core";

const BASE_MS = 1_000;
const MAX_MS = 5 * 60_000;

/** "Equal jitter": half the delay fixed, half random, so retries of a burst do not hit Meta in lock-step. */
function jittered(ms: number): number {
  return Math.round(ms / 2 + Math.random() * (ms / 2));
}

/**
 * BullMQ custom backoff for `message.send` (registered as OUTBOUND_BACKOFF on the workers):
 * - a wait the cause names (rate-limit token, waiting for a status webhook) is honoured, plus a little jitter;
 * - 131056 (pair rate limit): Meta's advice, 4^X seconds;
 * - everything else (5xx, timeouts, 130429, 131000, …): exponential from 1 s, capped at 5 min, with jitter.
 */
export function computeOutboundBackoff(attemptsMade: number, _type?: string, err?: Error): number {
  const attempt = Math.max(1, attemptsMade);
  if (isRetryableSendError(err)) {
    if (err.retryAfterMs !== undefined) return err.retryAfterMs + Math.round(Math.random() * 250);
    if (err.graphCode === 131056) return jittered(Math.min(MAX_MS, 4 ** (attempt - 1) * 1_000 * 2));
  }
  return jittered(Math.min(MAX_MS, BASE_MS * 2 ** (attempt - 1)));
}

/**
 * When a send that only waits for throughput runs again (isThroughputWait: deferred without using an attempt):
 * - no slot within the inline wait: when its slot would have come within half that wait, so it books early enough
 *   to keep the number busy, and waits inline for the rest;
 * - Meta's 130429 again after re-booking: after about a second (Meta's sliding second), with jitter.
 */
export function computeThroughputDeferral(error: RetryableSendError, maxInlineWaitMs: number): number {
  if (error.reason === "rate_limited" && error.retryAfterMs !== undefined)
    return Math.max(0, error.retryAfterMs - maxInlineWaitMs / 2);
  return jittered(2 * BASE_MS);
}
