import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { ApiErrorSchema, AutoReplySettingsSchema } from "@inbox/contracts";
import { loadAutoReplySettings, saveAutoReplySettings } from "@inbox/core";
import type { ApiDeps } from "../deps";
import { requireRole, userOf } from "../plugins/auth";

/** Admins: greeting, consent question and confirmations in German and English, and the default language. */
export function autoReplyRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const preHandler = [app.authenticate, requireRole("admin")];
    const errors = { 400: ApiErrorSchema, 401: ApiErrorSchema, 403: ApiErrorSchema };
    app.get(
      "/api/admin/auto-replies",
      {
        preHandler,
        schema: {
          tags: ["admin"],
          summary: "Automatic replies and the consent question",
          security: [{ session: [] }],
          response: { 200: AutoReplySettingsSchema, ...errors },
        },
      },
      async () => loadAutoReplySettings(deps.db),
    );
    app.put(
      "/api/admin/auto-replies",
      {
        preHandler,
        schema: {
          tags: ["admin"],
          summary: "Save the automatic replies (a changed consent question becomes a new wording version)",
          security: [{ session: [] }],
          body: AutoReplySettingsSchema,
          response: { 200: AutoReplySettingsSchema, ...errors },
        },
      },
      async (request) =>
        deps.db.$transaction((tx) =>
          saveAutoReplySettings(tx, request.body, { userId: userOf(request).id, ip: request.ip }),
        ),
    );
  };
}
