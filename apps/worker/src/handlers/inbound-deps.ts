import { createLivePublisher, createMediaStore, type LivePublisher, type MediaStore } from "@inbox/core";
import type { WorkerDeps } from "../registry";

const stores = new WeakMap<WorkerDeps, MediaStore>();
const publishers = new WeakMap<WorkerDeps, LivePublisher>();

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
