import {
  createLiveChangeBatcher,
  createLivePublisher,
  createMediaStore,
  type LiveChangeBatcher,
  type LivePublisher,
  type MediaStore,
} from "@inbox/core";
import type { WorkerDeps } from "../registry";

const stores = new WeakMap<WorkerDeps, MediaStore>();
const publishers = new WeakMap<WorkerDeps, LivePublisher>();
const batchers = new WeakMap<WorkerDeps, LiveChangeBatcher>();

/** The media store configured by the environment (local disk under MEDIA_DIR), once per deps. */
export function mediaStoreFor(deps: WorkerDeps): MediaStore {
  let store = stores.get(deps);
  if (!store) {
    store = createMediaStore(deps.env);
    stores.set(deps, store);
  }
  return store;
}

/** Live-event publisher on the deps' Redis and key prefix, once per deps. */
export function livePublisherFor(deps: WorkerDeps): LivePublisher {
  let publisher = publishers.get(deps);
  if (!publisher) {
    publisher = createLivePublisher(deps.redis, deps.queues.prefix, deps.log);
    publishers.set(deps, publisher);
  }
  return publisher;
}

/**
 * Changes of many jobs (the send path's message.updated) collected for a few milliseconds and published as one
 * batch: one read of the changed rows and one Redis message per interval at 1,000 sends/s, not one of each per send.
 */
export function liveChangesFor(deps: WorkerDeps): LiveChangeBatcher {
  let batcher = batchers.get(deps);
  if (!batcher) {
    batcher = createLiveChangeBatcher({ db: deps.db, pool: deps.pgPool }, livePublisherFor(deps), { log: deps.log });
    batchers.set(deps, batcher);
  }
  return batcher;
}

/** Publishes what the live batcher still holds (worker shutdown). */
export async function flushLiveChanges(deps: WorkerDeps): Promise<void> {
  await batchers.get(deps)?.flush();
}
