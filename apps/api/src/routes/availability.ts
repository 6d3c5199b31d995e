import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ApiErrorSchema } from "@inbox/contracts";
import {
  assignQueues,
  buildLiveEvents,
  createLivePublisher,
  createPresence,
  getAvailability,
  setAvailability,
} from "@inbox/core";
import type { ApiDeps } from "../deps";
import { userOf } from "../plugins/auth";

const AvailabilitySchema = z.object({ status: z.enum(["available", "away", "offline"]) });

/**
 * `PUT /api/me/availability`: an agent's own status. Becoming available assigns the waiting queues of their teams at
 * once (the worker's routing tick would within seconds).
 */
export function availabilityRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const presence = createPresence(deps.redis, deps.queues.prefix);
    const publisher = createLivePublisher(deps.redis, deps.queues.prefix, deps.log);
    const schema = { tags: ["routing"], security: [{ session: [] }] };
    app.get(
      "/api/me/availability",
      {
        preHandler: app.authenticate,
        schema: { ...schema, summary: "My status", response: { 200: AvailabilitySchema, 401: ApiErrorSchema } },
      },
      async (request) => ({ status: await getAvailability(deps.db, userOf(request).id) }),
    );
    app.put(
      "/api/me/availability",
      {
        preHandler: app.authenticate,
        schema: {
          ...schema,
          summary: "Set my status (available | away | offline); only available agents are auto-assigned",
          body: AvailabilitySchema,
          response: { 200: AvailabilitySchema, 400: ApiErrorSchema, 401: ApiErrorSchema },
        },
      },
      async (request) => {
        const { status } = request.body;
        const teamIds = await setAvailability(deps.db, userOf(request).id, status);
        if (status === "available" && teamIds.length) {
          const assigned = await assignQueues(
            { db: deps.db, onlineUserIds: () => presence.online(), ...(deps.clock ? { clock: deps.clock } : {}) },
            teamIds,
          );
          if (assigned.length) {
            await publisher.publish(
              await buildLiveEvents(deps.db, { conversationIds: assigned.map((a) => a.conversationId) }),
            );
          }
        }
        return { status };
      },
    );
  };
}
