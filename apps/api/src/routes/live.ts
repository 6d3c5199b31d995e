import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  ApiErrorSchema,
  LiveClientMessageSchema,
  PresenceDtoSchema,
  type LiveControl,
  type LiveEnvelope,
} from "@inbox/contracts";
import {
  AppError,
  canAccessConversation,
  createLiveBacklog,
  createLivePublisher,
  createPresence,
  findSession,
  isUuid,
  sessionPolicyOf,
  PRESENCE_HEARTBEAT_MS,
  subscribeLiveEvents,
  type SessionUser,
} from "@inbox/core";
import type { ApiDeps } from "../deps";
import { sessionTokenOf, userOf } from "../plugins/auth";

/** At most one typing event per socket in this interval. */
const TYPING_INTERVAL_MS = 2_000;
/** Sockets re-check their session this often and close when it ended (logout, expiry, deactivation). */
const SESSION_RECHECK_MS = 60_000;

/** What the route uses of a ws socket (declared here: the `ws` types are not a dependency of the api). */
interface LiveSocket {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  on(event: "close", listener: () => void): void;
  on(event: "message", listener: (data: unknown) => void): void;
}

interface Client {
  socket: LiveSocket;
  user: SessionUser;
  /** Envelopes that arrived while the catch-up was being read; null once live. */
  pending: LiveEnvelope[] | null;
  lastSeq: number;
}

function visible(user: SessionUser, envelope: LiveEnvelope): boolean {
  const event = envelope.event;
  // Presence is for colleagues; nobody needs to be told they themselves are online.
  if (event.type === "presence") return event.userId !== user.id;
  return canAccessConversation(user, { teamId: event.teamId, assigneeId: event.assigneeId });
}

/** Whether a websocket's Origin is the console's own (PUBLIC_URL, or the host the request came to). */
function isOwnOrigin(origin: string, publicUrl: string, host: string | undefined): boolean {
  try {
    const url = new URL(origin);
    return url.origin === new URL(publicUrl).origin || url.host === host;
  } catch {
    return false; // "null" (sandboxed frames, file:) or not a URL at all
  }
}

/**
 * GET /api/ws: live updates for the console. One Redis subscription per process fans out to the sockets, each
 * getting only what its user may see. `?since=<seq>` replays the backlog after a reconnect (or asks for a resync).
 */
export function liveRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const prefix = deps.queues.prefix;
    const policy = sessionPolicyOf(deps.env);
    const clients = new Set<Client>();
    const backlog = createLiveBacklog(deps.redis, prefix);
    const publisher = createLivePublisher(deps.redis, prefix, deps.log);
    const presence = createPresence(deps.redis, prefix);
    /** Open sockets per user on this instance: a user is online from their first socket to their last. */
    const socketsByUser = new Map<string, number>();
    const announce = (userId: string, isOnline: boolean) =>
      (isOnline ? presence.touch([userId]) : presence.leave(userId))
        .then(() => publisher.publish([{ type: "presence", userId, isOnline }]))
        .catch((err: unknown) => deps.log.warn({ err }, "presence not updated"));
    const heartbeat = setInterval(() => {
      presence
        .touch([...socketsByUser.keys()])
        .catch((err: unknown) => deps.log.warn({ err }, "presence heartbeat failed"));
    }, PRESENCE_HEARTBEAT_MS);
    heartbeat.unref();

    /** Relays "typing" to colleagues who may see the conversation (never to the typist's own socket filter). */
    const relayTyping = async (user: SessionUser, raw: unknown) => {
      const parsed = LiveClientMessageSchema.safeParse(JSON.parse(String(raw)));
      if (!parsed.success || !isUuid(parsed.data.conversationId)) return;
      const conversation = await deps.db.conversation.findUnique({
        where: { id: parsed.data.conversationId },
        select: { id: true, teamId: true, assigneeId: true },
      });
      if (!conversation || !canAccessConversation(user, conversation)) return;
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

    const send = (client: Client, envelope: LiveEnvelope) => {
      if (envelope.seq <= client.lastSeq) return;
      client.lastSeq = envelope.seq;
      if (visible(client.user, envelope) && client.socket.readyState === 1)
        client.socket.send(JSON.stringify(envelope));
    };

    const subscriber = deps.redis.duplicate();
    subscriber.on("error", (err) => deps.log.warn({ err }, "live subscriber connection error"));
    const subscription = await subscribeLiveEvents(
      subscriber,
      prefix,
      (envelope) => {
        for (const client of clients) {
          if (client.pending) client.pending.push(envelope);
          else send(client, envelope);
        }
      },
      { log: deps.log, isListening: () => clients.size > 0 },
    );
    app.addHook("onClose", async () => {
      clearInterval(heartbeat);
      for (const client of clients) client.socket.close(1001, "server shutting down");
      await subscription.close();
      subscriber.disconnect();
    });

    app.get(
      "/api/presence",
      {
        onRequest: app.authenticate,
        schema: {
          tags: ["live"],
          summary: "Who has the console open right now (changes arrive as `presence` live events)",
          security: [{ session: [] }],
          response: { 200: PresenceDtoSchema, 401: ApiErrorSchema, 403: ApiErrorSchema },
        },
      },
      async () => ({ onlineUserIds: await presence.online() }),
    );

    app.get(
      "/api/ws",
      {
        websocket: true,
        onRequest: app.authenticate,
        preValidation: async (request) => {
          // Cross-site websocket hijacking: browsers send Origin; it must be ours ("null" and garbage are not).
          const origin = request.headers.origin;
          if (origin && !isOwnOrigin(origin, deps.env.PUBLIC_URL, request.headers.host)) {
            throw new AppError("forbidden", "Cross-origin websocket refused.");
          }
          // Each socket costs a re-check query a minute and a share of every live event.
          if ((socketsByUser.get(userOf(request).id) ?? 0) >= deps.env.LIVE_MAX_SOCKETS_PER_USER) {
            throw new AppError("rate_limited", "Too many open consoles for this user; close one and reload.");
          }
        },
        schema: {
          tags: ["live"],
          summary: "Websocket of live events (LiveEnvelope JSON per message; ?since=<seq> catches up)",
          security: [{ session: [] }],
          querystring: z.object({ since: z.coerce.number().int().min(0).optional() }),
        },
      },
      (rawSocket, request) => {
        const socket = rawSocket as unknown as LiveSocket;
        const user = userOf(request);
        const token = sessionTokenOf(request);
        const since = request.query.since;
        const client: Client = { socket, user, pending: [], lastSeq: since ?? 0 };
        clients.add(client);

        const recheck = setInterval(() => {
          // A background check, not activity: an open but idle tab must not keep the session alive.
          void (token ? findSession(deps.db, token, { policy, touch: false }) : Promise.resolve(null)).then(
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

        void (async () => {
          const control = (c: LiveControl) => socket.readyState === 1 && socket.send(JSON.stringify(c));
          try {
            if (since !== undefined) {
              const result = await backlog.since(since);
              if (!result.complete) {
                control({ control: "resync", seq: result.currentSeq });
                client.lastSeq = result.currentSeq;
              } else {
                for (const envelope of result.envelopes) send(client, envelope);
              }
            } else {
              client.lastSeq = Number((await deps.redis.get(`${prefix}:live-seq`)) ?? 0);
            }
          } catch (err) {
            request.log.warn({ err }, "live catch-up failed");
          }
          const buffered = client.pending ?? [];
          client.pending = null;
          for (const envelope of buffered) send(client, envelope);
          control({ control: "hello", seq: client.lastSeq });
        })();
      },
    );
  };
}
