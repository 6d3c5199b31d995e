import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ApiErrorSchema } from "@inbox/contracts";
import { AppError, resumeChannel } from "@inbox/core";
import type { ApiDeps } from "../deps";
import { requireRole, userOf } from "../plugins/auth";

const errors = { 401: ApiErrorSchema, 403: ApiErrorSchema, 404: ApiErrorSchema };

/**
 * Channel operations for admins. `POST /api/admin/channels/:id/resume`: after the access token was renewed,
 * sets a channel paused by a token error (190) active again and re-enqueues every message that waited in `queued`.
 */
export function channelAdminRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      "/api/admin/channels/:id/resume",
      {
        onRequest: [app.authenticate, requireRole("admin")],
        schema: {
          tags: ["admin"],
          summary: "Resume a paused channel and re-send its queued messages",
          security: [{ session: [] }],
          params: z.object({ id: z.string().uuid() }),
          response: {
            200: z.object({ channelId: z.string(), status: z.literal("active"), requeued: z.number().int() }),
            ...errors,
          },
        },
      },
      async (request) => {
        const { id } = request.params;
        const channel = await deps.db.channel.findUnique({ where: { id }, select: { id: true } });
        if (!channel) throw new AppError("not_found", "No such channel.");
        const user = userOf(request);
        const { requeued } = await resumeChannel(
          { db: deps.db, ...(deps.onOutboxWritten ? { onOutboxWritten: deps.onOutboxWritten } : {}) },
          { channelId: id, actor: { type: "user", userId: user.id, ip: request.ip } },
        );
        return { channelId: id, status: "active" as const, requeued };
      },
    );
  };
}
