import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { assignQueues, getAvailability, setAvailability } from "@inbox/core";
import { userOf } from "../plugins/auth";
import type { ApiDeps } from "../types";
import { guards } from "./route-options";

const AvailabilitySchema = z.object({ status: z.enum(["available", "away", "offline"]) });

/**
 * `PUT /api/me/availability`: an agent's own status. Becoming available assigns the waiting queues of their teams at
 * once (the worker's routing tick would within seconds).
 */
export function availabilityRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const { signedIn } = guards(app);
    const tags = ["routing"];
    app.get(
      "/api/me/availability",
      signedIn({ tags, summary: "My status", response: { 200: AvailabilitySchema } }),
      async (request) => ({ status: await getAvailability(deps.db, userOf(request).id) }),
    );
    app.put(
      "/api/me/availability",
      signedIn({
        tags,
        summary: "Set my status (available | away | offline); only available agents are auto-assigned",
        body: AvailabilitySchema,
        response: { 200: AvailabilitySchema },
      }),
      async (request) => {
        const { status } = request.body;
        const teamIds = await setAvailability(deps.db, userOf(request).id, status);
        if (status === "available" && teamIds.length) {
          const routing = { db: deps.db, onlineUserIds: () => deps.liveHub.online(), clock: deps.clock };
          const assigned = await assignQueues(routing, teamIds);
          if (assigned.length) deps.live.add({ conversationIds: assigned.map((a) => a.conversationId) });
        }
        return { status };
      },
    );
  };
}
