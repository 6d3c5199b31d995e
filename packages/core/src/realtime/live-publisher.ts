import type { Redis } from "ioredis";
import { LIVE_BACKLOG, LIVE_CHANNEL, type LiveEnvelope, type LiveEvent } from "@inbox/contracts";
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
 * Numbers, publishes and keeps one batch in ONE atomic step. Each envelope gets its sequence number from one Redis
 * counter; because numbering and PUBLISH happen in the same script, every subscriber receives envelopes in sequence
 * order whichever process published them (api instances, workers). Numbering first and publishing in a second round
 * trip let a later batch overtake an earlier one, and consoles, which skip numbers they have passed, lost it.
 * KEYS: seq counter, backlog; ARGV: channel, backlog size, `at`, then the events' JSON.
 */
const PUBLISH_SCRIPT = `
local count = #ARGV - 3
local last = redis.call('INCRBY', KEYS[1], count)
local first = last - count + 1
local envelopes = {}
local backlog = {}
for i = 1, count do
  local seq = first + i - 1
  local text = '{"seq":' .. seq .. ',"at":"' .. ARGV[3] .. '","event":' .. ARGV[3 + i] .. '}'
  envelopes[i] = text
  backlog[2 * i - 1] = seq
  backlog[2 * i] = text
end
redis.call('PUBLISH', ARGV[1], table.concat(envelopes, '\\n'))
redis.call('ZADD', KEYS[2], unpack(backlog))
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(tonumber(ARGV[2]) + 1))
return last
`;

type ScriptedRedis = Redis & {
  inboxPublishLive(
    seqKey: string,
    backlogKey: string,
    channel: string,
    keep: number,
    at: string,
    ...events: string[]
  ): Promise<number>;
};

/**
 * Publishes LiveEvent envelopes on Redis pub/sub, numbered by one Redis counter so consoles can tell order and notice
 * gaps (see PUBLISH_SCRIPT for why numbering and publishing are one step). A batch is ONE pub/sub message, one
 * envelope's JSON per line (JSON text holds no raw line break): a burst of webhooks yields a handful of messages per
 * second for Redis and for every subscribed api instance, not two per stored message, and each envelope's text goes
 * to the consoles as it came, without being serialised again. The envelopes are also kept in the backlog (the last
 * `LIVE_BACKLOG`, read by `createLiveBacklog`). When Redis is not connected the events are dropped at once (with a
 * warning) instead of piling up in the client's offline queue.
 */
export function createLivePublisher(redis: Redis, prefix: string, log: Logger): LivePublisher {
  const channel = liveChannelName(prefix);
  const seqKey = liveSeqKey(prefix);
  const backlogKey = liveBacklogKey(prefix);
  if (!("inboxPublishLive" in redis)) {
    redis.defineCommand("inboxPublishLive", { numberOfKeys: 2, lua: PUBLISH_SCRIPT });
  }
  const scripted = redis as ScriptedRedis;
  return {
    async publish(events) {
      if (events.length === 0) return;
      if (redis.status !== "ready") {
        log.warn({ count: events.length }, "live events dropped: Redis not connected");
        return;
      }
      try {
        const json = events.map((event) => JSON.stringify(event));
        await scripted.inboxPublishLive(seqKey, backlogKey, channel, LIVE_BACKLOG, new Date().toISOString(), ...json);
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

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const isNullableString = (v: unknown) => v === null || typeof v === "string";
const CONVERSATION_EVENTS = new Set(["message.created", "message.updated", "conversation.updated", "typing"]);

/**
 * What the hubs rely on (sequence, event type, the conversation's team and assignee, the user of presence and
 * typing), checked by hand rather than by a schema pass over each whole envelope: the publishers are this product's
 * own processes, which build every event from typed DTOs, and the check ran for every envelope in every api instance.
 * An envelope of another shape (a version skew, garbage on the channel) is still skipped.
 */
function isLiveEnvelope(value: unknown): value is LiveEnvelope {
  if (!isObject(value) || !Number.isInteger(value.seq) || typeof value.at !== "string" || !isObject(value.event)) {
    return false;
  }
  const event = value.event;
  if (event.type === "presence") return typeof event.userId === "string" && typeof event.isOnline === "boolean";
  if (typeof event.type !== "string" || !CONVERSATION_EVENTS.has(event.type)) return false;
  if (typeof event.conversationId !== "string" || !isNullableString(event.teamId)) return false;
  if (!isNullableString(event.assigneeId)) return false;
  if (event.type === "typing") return typeof event.userId === "string" && typeof event.name === "string";
  return isObject(event.type === "conversation.updated" ? event.conversation : event.message);
}

/**
 * Subscribes to the live-event channel on a connection of its own (a subscribed Redis connection can do
 * nothing else; pass `redis.duplicate()`), checking each envelope of each published batch. `onEnvelope` gets the
 * envelope and its JSON text (to forward as it is). The websocket route calls this once per process and fans out to
 * its sockets. Envelopes of another shape are skipped with a warning.
 */
export async function subscribeLiveEvents(
  subscriber: Redis,
  prefix: string,
  onEnvelope: (envelope: LiveEnvelope, text: string) => void,
  options: SubscribeOptions = {},
): Promise<LiveSubscription> {
  const { log, isListening } = options;
  const channel = liveChannelName(prefix);
  const take = (item: unknown, text: string) => {
    if (isLiveEnvelope(item)) onEnvelope(item, text);
    else log?.warn("invalid live event; skipped");
  };
  const parse = (text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      log?.warn("live event is not JSON; skipped");
      return undefined;
    }
  };
  const channelBytes = Buffer.from(channel);
  // The bytes as they came (ioredis's "messageBuffer"): the "message" event would have ioredis decode every batch
  // before the listener can tell that no console wants it.
  const listener = (ch: Buffer, bytes: Buffer) => {
    if ((isListening && !isListening()) || !ch.equals(channelBytes)) return;
    const message = bytes.toString("utf8");
    // A JSON array of envelopes is what publishers before line-separated batches sent.
    if (message.startsWith("[")) {
      const items = parse(message);
      if (Array.isArray(items)) for (const item of items) take(item, JSON.stringify(item));
      return;
    }
    for (const line of message.split("\n")) {
      const item = parse(line);
      if (item !== undefined) take(item, line);
    }
  };
  subscriber.on("messageBuffer", listener);
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
      subscriber.off("messageBuffer", listener);
      subscriber.off("ready", onReady);
      if (subscriber.status === "ready") await subscriber.unsubscribe(channel).catch(() => undefined);
    },
  };
}
