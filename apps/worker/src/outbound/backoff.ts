import { isRetryableSendError } from "@inbox/core";

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
