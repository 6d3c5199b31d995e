import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ApiErrorSchema, PresenceDtoSchema } from "@inbox/contracts";
import { AppError } from "@inbox/core";
import type { LiveSocket } from "../live/hub";
import { sessionTokenOf, userOf } from "../plugins/auth";
import type { ApiDeps } from "../types";

/**
 * GET /api/ws: live updates for the console (the hub does the work), and who is online.
 * `?since=<seq>` replays the backlog after a reconnect (or asks for a resync).
 */
export function liveRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/api/presence",
      {
        preHandler: app.authenticate,
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
        preHandler: app.authenticate,
        preValidation: async (request) => {
          // Cross-site websocket hijacking: browsers send Origin; it must be ours.
          const origin = request.headers.origin;
          if (
            origin &&
            origin !== new URL(deps.env.PUBLIC_URL).origin &&
            new URL(origin).host !== request.headers.host
          ) {
            throw new AppError("forbidden", "Cross-origin websocket refused.");
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
          user: userOf(request),
          sessionToken: sessionTokenOf(request),
          since: request.query.since,
          log: request.log,
        });
      },
    );
  };
}
