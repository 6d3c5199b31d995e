import { runRoutingTick } from "@inbox/core";
import type { WorkerDeps } from "../context";

/** How often each worker process assigns queues to agents who became able (and handles reopened conversations). */
export const ROUTING_TICK_EVERY_MS = 2_000;

/** Runs the routing tick every `everyMs` and tells consoles about what changed. */
export function startRoutingTicker(deps: WorkerDeps, everyMs = ROUTING_TICK_EVERY_MS): { close(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let isClosed = false;
  const tick = () => {
    running = runRoutingTick(deps.routing)
      .then((ids) => {
        if (ids.length) deps.live.add({ conversationIds: ids });
      })
      .catch((err: unknown) => deps.log.warn({ err }, "routing tick failed; next round will retry"))
      .finally(() => {
        if (!isClosed) timer = setTimeout(tick, everyMs);
      });
  };
  timer = setTimeout(tick, everyMs);
  return {
    async close() {
      isClosed = true;
      clearTimeout(timer);
      await running;
    },
  };
}
