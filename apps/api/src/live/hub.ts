import { LiveClientMessageSchema, type LiveControl, type LiveEnvelope } from "@inbox/contracts";
import {
  canAccessConversation,
  createLiveBacklog,
  createPresence,
  findAccessibleConversation,
  findSession,
  PRESENCE_HEARTBEAT_MS,
  subscribeLiveEvents,
  type LivePublisher,
  type SessionPolicy,
  type SessionUser,
} from "@inbox/core";
import type { Db } from "@inbox/db";
import type { Logger } from "@inbox/logger";
import type { Metrics } from "@inbox/metrics";
import type { Redis } from "ioredis";

/** At most one typing event per socket in this interval. */
const TYPING_INTERVAL_MS = 2_000;
/** Sockets re-check their session this often and close when it ended (logout, expiry, deactivation). */
const SESSION_RECHECK_MS = 60_000;

/** What the hub uses of a ws socket (declared here: the `ws` types are not a dependency of the api). */
export interface LiveSocket {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  on(event: "close", listener: () => void): void;
  on(event: "message", listener: (data: unknown) => void): void;
}

/**
 * The TCP connection under a socket (the upgraded request's): corked while a batch of events goes out, so the
 * frames of one batch leave in one write instead of one system call each.
 */
interface LiveTransport {
  cork(): void;
  uncork(): void;
}

interface LiveConnection {
  socket: LiveSocket;
  transport?: LiveTransport;
  user: SessionUser;
  /** The session's token: the socket closes when the session ends. */
  sessionToken: string | null;
  /** The last seq the console saw (`?since=`): the backlog after it is replayed, or a resync is asked for. */
  since: number | undefined;
  /** The request's logger (with its request id). */
  log: Pick<Logger, "warn">;
}

export interface LiveHub {
  /** Takes a new console socket: catch-up, then every live event its user may see. */
  connect(connection: LiveConnection): void;
  /** Sockets `userId` has open on this instance (LIVE_MAX_SOCKETS_PER_USER caps them). */
  socketsOf(userId: string): number;
  /** Users with a console open on any api instance. */
  online(): Promise<string[]>;
  /** Ends the subscription and the heartbeat (the sockets close with the server). */
  close(): Promise<void>;
}

interface Client {
  socket: LiveSocket;
  /** Write the frames of one fan-out together: cork the transport on the first, uncork after the current tick. */
  hold: () => void;
  user: SessionUser;
  /** Envelopes that arrived while the catch-up was being read; null once live. */
  pending: LiveEnvelope[] | null;
  lastSeq: number;
}

function isVisible(user: SessionUser, envelope: LiveEnvelope): boolean {
  const event = envelope.event;
  // Presence is for colleagues; nobody needs to be told they themselves are online.
  if (event.type === "presence") return event.userId !== user.id;
  return canAccessConversation(user, { teamId: event.teamId, assigneeId: event.assigneeId });
}

/**
 * The consoles' live connection, once per api process: ONE Redis subscription fans out to the sockets, each getting
 * only what its user may see; presence counts a user online from their first socket to their last (refreshed by a
 * heartbeat, shared through Redis with other instances); typing is relayed to colleagues who may see the
 * conversation; a reconnecting console catches up from the backlog.
 */
export async function createLiveHub(deps: {
  db: Db;
  redis: Redis;
  prefix: string;
  publisher: LivePublisher;
  log: Logger;
  metrics: Metrics;
  sessionPolicy: SessionPolicy;
}): Promise<LiveHub> {
  const { db, redis, prefix, publisher, log, metrics, sessionPolicy } = deps;
  const clients = new Set<Client>();
  const backlog = createLiveBacklog(redis, prefix);
  const presence = createPresence(redis, prefix);
  /** Open sockets per user on this instance. */
  const socketsByUser = new Map<string, number>();

  const announce = (userId: string, isOnline: boolean) =>
    (isOnline ? presence.touch([userId]) : presence.leave(userId))
      .then(() => publisher.publish([{ type: "presence", userId, isOnline }]))
      .catch((err: unknown) => log.warn({ err }, "presence not updated"));
  const heartbeat = setInterval(() => {
    presence.touch([...socketsByUser.keys()]).catch((err: unknown) => log.warn({ err }, "presence heartbeat failed"));
  }, PRESENCE_HEARTBEAT_MS);
  heartbeat.unref();

  /** `data`: the envelope's JSON as published, the same text for every socket it goes to. */
  const send = (client: Client, envelope: LiveEnvelope, data?: string) => {
    if (envelope.seq <= client.lastSeq) return;
    client.lastSeq = envelope.seq;
    if (isVisible(client.user, envelope) && client.socket.readyState === 1) {
      client.hold();
      client.socket.send(data ?? JSON.stringify(envelope));
    }
  };

  const subscriber = redis.duplicate();
  subscriber.on("error", (err) => log.warn({ err }, "live subscriber connection error"));
  const subscription = await subscribeLiveEvents(
    subscriber,
    prefix,
    (envelope, text) => {
      // The envelope's text as published goes to every socket that may see it (nothing serialised per event).
      for (const client of clients) {
        if (client.pending) client.pending.push(envelope);
        else send(client, envelope, text);
      }
    },
    { log, isListening: () => clients.size > 0 },
  );

  /** Relays "typing" to colleagues who may see the conversation. */
  const relayTyping = async (user: SessionUser, raw: unknown) => {
    const parsed = LiveClientMessageSchema.safeParse(JSON.parse(String(raw)));
    if (!parsed.success) return;
    const conversation = await findAccessibleConversation(db, user, parsed.data.conversationId);
    if (!conversation) return;
    await publisher.publish([
      {
        type: "typing",
        conversationId: conversation.id,
        teamId: conversation.teamId,
        assigneeId: conversation.assigneeId,
        userId: user.id,
        name: user.name,
      },
    ]);
  };

  /** Replays what the console missed (or asks it to resync), then switches the client to live delivery. */
  const catchUp = async (client: Client, since: number | undefined, connectionLog: Pick<Logger, "warn">) => {
    const control = (c: LiveControl) => client.socket.readyState === 1 && client.socket.send(JSON.stringify(c));
    try {
      if (since === undefined) {
        client.lastSeq = await backlog.currentSeq();
      } else {
        const result = await backlog.since(since);
        if (!result.complete) {
          control({ control: "resync", seq: result.currentSeq });
          client.lastSeq = result.currentSeq;
        } else {
          for (const envelope of result.envelopes) send(client, envelope);
        }
      }
    } catch (err) {
      connectionLog.warn({ err }, "live catch-up failed");
    }
    const buffered = client.pending ?? [];
    client.pending = null;
    for (const envelope of buffered) send(client, envelope);
    control({ control: "hello", seq: client.lastSeq });
  };

  return {
    connect({ socket, transport, user, sessionToken, since, log: connectionLog }) {
      const client: Client = { socket, hold: holdOf(transport), user, pending: [], lastSeq: since ?? 0 };
      clients.add(client);
      metrics.websocketConnections.inc();
      const recheck = setInterval(() => {
        // A background check, not activity: an open but idle tab must not keep the session alive.
        const check = sessionToken ? findSession(db, sessionToken, { policy: sessionPolicy, touch: false }) : null;
        void (check ?? Promise.resolve(null)).then(
          (session) => {
            if (!session?.isVerified) socket.close(4401, "session ended");
            else client.user = session.user;
          },
          () => undefined,
        );
      }, SESSION_RECHECK_MS);
      const sockets = socketsByUser.get(user.id) ?? 0;
      socketsByUser.set(user.id, sockets + 1);
      if (sockets === 0) void announce(user.id, true);
      socket.on("close", () => {
        clearInterval(recheck);
        clients.delete(client);
        metrics.websocketConnections.dec();
        const left = (socketsByUser.get(user.id) ?? 1) - 1;
        if (left > 0) socketsByUser.set(user.id, left);
        else {
          socketsByUser.delete(user.id);
          void announce(user.id, false);
        }
      });
      let lastTyping = 0;
      socket.on("message", (data) => {
        const now = Date.now();
        if (now - lastTyping < TYPING_INTERVAL_MS) return;
        lastTyping = now;
        relayTyping(client.user, data).catch(() => undefined);
      });
      void catchUp(client, since, connectionLog);
    },
    socketsOf: (userId) => socketsByUser.get(userId) ?? 0,
    online: () => presence.online(),
    async close() {
      clearInterval(heartbeat);
      await subscription.close();
      subscriber.disconnect();
    },
  };
}

/**
 * Frames sent in one tick (the envelopes of one published batch) go out in one write: the first corks the
 * transport, the end of the tick uncorks it. Sockets are written to with a system call per frame otherwise, and at
 * 1,000 events a second those calls were the api's largest single CPU cost.
 */
function holdOf(transport: LiveTransport | undefined): () => void {
  if (!transport) return () => undefined;
  let isHeld = false;
  const release = () => {
    isHeld = false;
    transport.uncork();
  };
  return () => {
    if (isHeld) return;
    isHeld = true;
    transport.cork();
    process.nextTick(release);
  };
}
