import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ApiErrorSchema, PresenceDtoSchema } from "@inbox/contracts";
import { AppError } from "@inbox/core";
import type { LiveSocket } from "../live/hub";
import { sessionTokenOf, userOf } from "../plugins/auth";
import type { ApiDeps } from "../types";

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
 * GET /api/ws: live updates for the console (the hub does the work), and who is online.
 * `?since=<seq>` replays the backlog after a reconnect (or asks for a resync).
 */
export function liveRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
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
      async () => ({ onlineUserIds: await deps.liveHub.online() }),
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
          if (deps.liveHub.socketsOf(userOf(request).id) >= deps.env.LIVE_MAX_SOCKETS_PER_USER) {
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
        deps.liveHub.connect({
          socket,
          // The upgraded request's TCP connection, which the websocket writes to.
          transport: request.raw.socket,
          user: userOf(request),
          sessionToken: sessionTokenOf(request),
          since: request.query.since,
          log: request.log,
        });
      },
    );
  };
}
