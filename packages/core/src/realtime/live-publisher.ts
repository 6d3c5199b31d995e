import type { Redis } from "ioredis";
import { LIVE_BACKLOG, LIVE_CHANNEL, LiveEnvelopeSchema, type LiveEnvelope, type LiveEvent } from "@inbox/contracts";
import type { Logger } from "@inbox/logger";

/** `${prefix}:live-events`: the pub/sub channel every api instance subscribes to. */
export function liveChannelName(prefix: string): string {
  return `${prefix}:${LIVE_CHANNEL}`;
}

export function liveBacklogKey(prefix: string): string {
  return `${prefix}:live-backlog`;
}

export function liveSeqKey(prefix: string): string {
  return `${prefix}:live-seq`;
}

export interface LivePublisher {
  /** Publishes after commit; never throws (live updates are best effort, the database is the truth). */
  publish(events: LiveEvent[]): Promise<void>;
}

/**
 * Publishes LiveEvent envelopes on Redis pub/sub. Each envelope gets a sequence number from one Redis counter
 * (INCRBY for the batch), so consoles can tell order and notice gaps. A batch is ONE pub/sub message (a JSON array
 * of envelopes): a burst of webhooks yields a handful of messages per second for Redis and for every subscribed api
 * instance, not two per stored message. The envelopes are kept in the backlog (the last `LIVE_BACKLOG`, read by
 * `createLiveBacklog`) in the same pipeline. When Redis is not connected the events are dropped at once (with a
 * warning) instead of piling up in the client's offline queue.
 */
export function createLivePublisher(redis: Redis, prefix: string, log: Logger): LivePublisher {
  const channel = liveChannelName(prefix);
  const seqKey = liveSeqKey(prefix);
  const backlogKey = liveBacklogKey(prefix);
  return {
    async publish(events) {
      if (events.length === 0) return;
      if (redis.status !== "ready") {
        log.warn({ count: events.length }, "live events dropped: Redis not connected");
        return;
      }
      try {
        const last = await redis.incrby(seqKey, events.length);
        const first = last - events.length + 1;
        const at = new Date().toISOString();
        const backlog: (number | string)[] = [];
        const json = events.map((event, i) => {
          const envelope: LiveEnvelope = { seq: first + i, at, event };
          const text = JSON.stringify(envelope);
          backlog.push(envelope.seq, text);
          return text;
        });
        await redis
          .pipeline()
          .publish(channel, `[${json.join(",")}]`)
          .zadd(backlogKey, ...backlog)
          .zremrangebyrank(backlogKey, 0, -(LIVE_BACKLOG + 1))
          .exec();
      } catch (err) {
        log.warn({ err, count: events.length }, "live events not published");
      }
    },
  };
}

/** How long subscribeLiveEvents waits for a connection that is not ready yet before it returns anyway. */
const SUBSCRIBE_WAIT_MS = 2_000;

export interface LiveSubscription {
  close(): Promise<void>;
}

export interface SubscribeOptions {
  /**
   * Whether anyone in this process wants the envelopes now (the websocket route: a console is connected). While it
   * answers false, messages are not decoded at all — an api instance without consoles pays nothing for a burst.
   */
  isListening?: () => boolean;
  log?: Logger | undefined;
}

/**
 * Subscribes to the live-event channel on a connection of its own (a subscribed Redis connection can do
 * nothing else; pass `redis.duplicate()`), validating each envelope of each published batch. The websocket route
 * calls this once per process and fans out to its sockets. Invalid envelopes are skipped with a warning.
 */
export async function subscribeLiveEvents(
  subscriber: Redis,
  prefix: string,
  onEnvelope: (envelope: LiveEnvelope) => void,
  options: SubscribeOptions = {},
): Promise<LiveSubscription> {
  const { log, isListening } = options;
  const channel = liveChannelName(prefix);
  const listener = (ch: string, message: string) => {
    if (ch !== channel || (isListening && !isListening())) return;
    let json: unknown;
    try {
      json = JSON.parse(message);
    } catch {
      log?.warn("live event is not JSON; skipped");
      return;
    }
    // A batch from createLivePublisher, or a single envelope (what publishers before batching sent).
    for (const item of Array.isArray(json) ? json : [json]) {
      const parsed = LiveEnvelopeSchema.safeParse(item);
      if (!parsed.success) {
        log?.warn({ issues: parsed.error.issues.length }, "invalid live event; skipped");
        continue;
      }
      onEnvelope(parsed.data);
    }
  };
  subscriber.on("message", listener);
  // Never fails the caller when Redis is down (the api must boot and answer webhooks without it): subscribe now
  // if connected, and again whenever the connection becomes ready (SUBSCRIBE twice is harmless).
  const subscribe = () =>
    subscriber.subscribe(channel).then(
      () => undefined,
      (err: unknown) => log?.warn({ err }, "live events: subscribe failed; retrying when Redis is back"),
    );
  const onReady = () => void subscribe();
  subscriber.on("ready", onReady);
  if (subscriber.status === "ready") await subscribe();
  else {
    // A fresh connection is usually ready within milliseconds: wait a little, so that what is published right
    // after this returns is not missed; a Redis that is down does not hold the caller up longer than that.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      subscribe(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, SUBSCRIBE_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
  }
  return {
    async close() {
      subscriber.off("message", listener);
      subscriber.off("ready", onReady);
      if (subscriber.status === "ready") await subscriber.unsubscribe(channel).catch(() => undefined);
    },
  };
}
