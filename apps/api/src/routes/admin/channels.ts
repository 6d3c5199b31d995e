import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ChannelDtoSchema } from "@inbox/contracts";
import { listChannels, resumeChannel } from "@inbox/core";
import type { ApiDeps } from "../../types";
import { actorOf, guards, ID_PARAMS, itemsOf } from "../route-options";

const ResumedSchema = z.object({ channelId: z.string(), status: z.literal("active"), requeued: z.number().int() });

/**
 * Channels for admins: their state, and `POST /api/admin/channels/:id/resume` — after the access token was
 * renewed, sets a channel paused by a token error (190) active again and re-enqueues every message that waited.
 */
export function adminChannelRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const { admin } = guards(app);
    const tags = ["admin"];

    app.get(
      "/api/admin/channels",
      admin({
        tags,
        summary: "Channels: number, quality, connection state, last webhook",
        response: { 200: itemsOf(ChannelDtoSchema) },
      }),
      async () => ({ items: await listChannels(deps.db) }),
    );
    app.post(
      "/api/admin/channels/:id/resume",
      admin({
        tags,
        summary: "Resume a paused channel and re-send its queued messages",
        params: ID_PARAMS,
        response: { 200: ResumedSchema },
      }),
      async (request) => {
        const channelId = request.params.id;
        const { requeued } = await resumeChannel(deps, { channelId, actor: actorOf(request) });
        return { channelId, status: "active" as const, requeued };
      },
    );
  };
}
