import {
  createGroupedSendStatements,
  createLiveChangeBatcher,
  createLivePublisher,
  createMediaStore,
  createPresence,
  createConversationRouter,
  createQueueAssigner,
  createSecretBox,
  DEFAULT_RECONCILE_GRACE_MS,
} from "@inbox/core";
import { pgSql } from "@inbox/db";
import { OutboxRelay } from "@inbox/jobs";
import { Metrics } from "@inbox/metrics";
import type { WorkerInfra, WorkerServices } from "./context";
import { createConcurrencyLimit } from "./concurrency-limit";
import { createGraphClient } from "./outbound/graph";
import { createDispatchGate, createRedisThrottle } from "./outbound/rate-limiter";

/** Media downloads at once per worker process (what the inbound queue's concurrency was before routing shared it). */
const MEDIA_DOWNLOADS_AT_ONCE = 10;

/** Services a test or benchmark replaces (a Graph client on the simulator, a counting throttle, a short grace). */
export type WorkerServiceOverrides = Partial<
  Pick<WorkerServices, "graph" | "sender" | "throttle" | "reconcileGraceMs">
>;

/**
 * The worker's composition root: every service a job handler or the sweeper uses, built once per process and
 * handed to them as required dependencies. Nothing below builds a service of its own. Built, not started:
 * startWorker starts what runs in the background (the outbox relay, the queues' workers, the sweeper).
 */
export function createWorkerServices(infra: WorkerInfra, overrides: WorkerServiceOverrides = {}): WorkerServices {
  const { db, pgPool, redis, queues, log } = infra;
  const outbox = new OutboxRelay({ db, pool: pgPool }, queues, log.child({ component: "outbox" }));
  const live = createLiveChangeBatcher(pgSql(pgPool), createLivePublisher(redis, queues.prefix, log), { log });
  const graph = overrides.graph ?? createGraphClient(infra.env);
  const metrics = new Metrics("worker");
  metrics.observeQueues(Object.values(queues.queues));
  const presence = createPresence(redis, queues.prefix);
  const assignment = { db, pool: pgPool, onlineUserIds: () => presence.online(), clock: infra.clock };
  const routing = { ...assignment, assignQueue: createQueueAssigner(assignment) };
  return {
    metrics,
    graph,
    sender: overrides.sender ?? graph,
    throttle: overrides.throttle ?? createRedisThrottle(redis, queues.prefix),
    dispatchGate: createDispatchGate(),
    statements: createGroupedSendStatements(pgSql(pgPool)),
    media: createMediaStore(infra.env),
    mediaDownloads: createConcurrencyLimit(MEDIA_DOWNLOADS_AT_ONCE),
    secrets: createSecretBox(infra.env),
    live,
    outbox,
    onOutboxWritten: outbox.poke,
    routing,
    routeConversations: createConversationRouter(routing),
    reconcileGraceMs: overrides.reconcileGraceMs ?? DEFAULT_RECONCILE_GRACE_MS,
    async close() {
      await outbox.stop();
      await live.flush();
    },
  };
}
