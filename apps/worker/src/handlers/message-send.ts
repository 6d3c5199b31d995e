import { createGroupedSendStatements, sendQueuedMessage, type SendStatements, type Throttle } from "@inbox/core";
import { pgSql } from "@inbox/db";
import { graphFor } from "../outbound/graph";
import { liveChangesFor, mediaStoreFor } from "./inbound-deps";
import { createDispatchGate, createRedisThrottle, MAX_SLOT_LATENESS_MS } from "../outbound/rate-limiter";
import type { JobHandler, WorkerDeps } from "../registry";

const throttles = new WeakMap<WorkerDeps, Throttle>();
const gates = new WeakMap<WorkerDeps, ReturnType<typeof createDispatchGate>>();
const statements = new WeakMap<WorkerDeps, SendStatements>();

/** Claim/record statements shared by this worker's concurrent sends (group commit). */
function statementsFor(deps: WorkerDeps): SendStatements {
  let s = statements.get(deps);
  if (!s) {
    s = createGroupedSendStatements(deps.pgPool ? pgSql(deps.pgPool) : deps.db);
    statements.set(deps, s);
  }
  return s;
}

function gateFor(deps: WorkerDeps): ReturnType<typeof createDispatchGate> {
  let gate = gates.get(deps);
  if (!gate) {
    gate = createDispatchGate();
    gates.set(deps, gate);
  }
  return gate;
}

function throttleFor(deps: WorkerDeps): Throttle {
  if (deps.throttle) return deps.throttle;
  let throttle = throttles.get(deps);
  if (!throttle) {
    throttle = createRedisThrottle(deps.redis, deps.queues.prefix);
    throttles.set(deps, throttle);
  }
  return throttle;
}

/**
 * `message.send`: one stored message through the Graph API. Retryable failures throw (RetryableSendError), so
 * BullMQ retries with the outbound backoff; everything else ends in the message's stored state.
 */
export const handleMessageSend: JobHandler<"message.send"> = async ({ messageId }, ctx) => {
  const { deps } = ctx;
  const result = await sendQueuedMessage(
    {
      db: deps.db,
      graph: deps.sender ?? graphFor(deps),
      log: ctx.log,
      throttle: throttleFor(deps),
      maxInlineWaitMs: 7_000,
      maxSlotLatenessMs: MAX_SLOT_LATENESS_MS,
      dispatchGate: gateFor(deps),
      statements: statementsFor(deps),
      live: liveChangesFor(deps),
      media: { store: mediaStoreFor(deps), uploader: graphFor(deps) },
      ...(deps.clock ? { clock: deps.clock } : {}),
      ...(deps.reconcileGraceMs !== undefined ? { reconcileGraceMs: deps.reconcileGraceMs } : {}),
    },
    { messageId, isLastAttempt: ctx.attemptsMade + 1 >= ctx.maxAttempts },
  );
  ctx.log.debug({ messageId, outcome: result.outcome }, "message.send handled");
};
