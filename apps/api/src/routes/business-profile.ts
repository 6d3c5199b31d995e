import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ApiErrorSchema, BusinessProfileDtoSchema, BusinessProfileUpdateSchema } from "@inbox/contracts";
import { AppError, getBusinessProfile, isUuid, updateBusinessProfile } from "@inbox/core";
import { GraphClient } from "@inbox/whatsapp";
import type { ApiDeps } from "../deps";
import { requireRole, userOf } from "../plugins/auth";

/** Admins edit the WhatsApp Business profile of a number through the Graph API. */
export function businessProfileRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const graph = new GraphClient({
      baseUrl: deps.env.GRAPH_API_URL,
      accessToken: deps.env.WHATSAPP_ACCESS_TOKEN ?? "",
    });
    const preHandler = [app.authenticate, requireRole("admin")];
    const params = z.object({ id: z.string() });
    const errors = {
      400: ApiErrorSchema,
      401: ApiErrorSchema,
      403: ApiErrorSchema,
      404: ApiErrorSchema,
      503: ApiErrorSchema,
    };
    const channelIdOf = (id: string) => {
      if (!isUuid(id)) throw new AppError("not_found", "WhatsApp channel not found.");
      return id;
    };
    app.get(
      "/api/admin/channels/:id/business-profile",
      {
        preHandler,
        schema: {
          tags: ["admin"],
          summary: "The number's WhatsApp Business profile (from Meta)",
          security: [{ session: [] }],
          params,
          response: { 200: BusinessProfileDtoSchema, ...errors },
        },
      },
      async (request) => getBusinessProfile({ db: deps.db, graph }, channelIdOf(request.params.id)),
    );
    app.put(
      "/api/admin/channels/:id/business-profile",
      {
        preHandler,
        schema: {
          tags: ["admin"],
          summary: "Change about, description, address, e-mail, websites or category at Meta",
          security: [{ session: [] }],
          params,
          body: BusinessProfileUpdateSchema,
          response: { 200: BusinessProfileDtoSchema, ...errors },
        },
      },
      async (request) =>
        updateBusinessProfile(
          { db: deps.db, graph },
          {
            channelId: channelIdOf(request.params.id),
            changes: request.body,
            actor: { userId: userOf(request).id, ip: request.ip },
          },
        ),
    );
  };
}
