/**
 * Helpers for tests of the apps and of core (`@inbox/core/testing`): the dependencies of a use case that a test
 * does not look at, wired so that what the use case reports stays visible to the test.
 */
import { DEV_ENCRYPTION_KEY } from "@inbox/config";
import type { Db } from "@inbox/db";
import { createSecretBox } from "./secrets/secret-box";
import type { QueueOutboundMessageDeps } from "./outbound/queue-outbound-message";
import type { LiveChange, LiveChanges } from "./shared/live-changes";

/** A LiveChanges port that keeps what it was told (in `changes`) instead of publishing it. */
export function recordLiveChanges(): LiveChanges & { changes: LiveChange[] } {
  const changes: LiveChange[] = [];
  return { changes, add: (change) => void changes.push(change) };
}

/**
 * What queueOutboundMessage needs when a test only wants a message stored: the real clock, live changes recorded
 * (`live.changes`), and the outbox left to a worker's relay poll (`pokes` counts what would have been poked).
 */
export function queueDepsFor(db: Db): QueueOutboundMessageDeps & {
  live: ReturnType<typeof recordLiveChanges>;
  pokes: { count: number };
} {
  const pokes = { count: 0 };
  return {
    db,
    clock: () => new Date(),
    live: recordLiveChanges(),
    onOutboxWritten: () => void pokes.count++,
    secrets: createSecretBox({ ENCRYPTION_KEY: DEV_ENCRYPTION_KEY }),
    pokes,
  };
}

// Privacy tests look at what an erasure left behind: the suppression, the live backlog, media keys.
export { isContactSuppressed } from "./privacy/suppression";
export { liveBacklogKey } from "./realtime/live-publisher";
export { newMediaKey } from "./media/media-store";
