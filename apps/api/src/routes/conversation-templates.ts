import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ApiErrorSchema, ConversationTemplateDtoSchema } from "@inbox/contracts";
import { assertConversationAccess, isUuid, listConversationTemplates } from "@inbox/core";
import type { ApiDeps } from "../deps";
import { userOf } from "../plugins/auth";

/** The template picker of one conversation: approved templates with whether this contact may receive each. */
export function conversationTemplateRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/api/conversations/:id/templates",
      {
        preHandler: app.authenticate,
        schema: {
          tags: ["templates"],
          summary: "Approved templates for this conversation, each with isSendable and the reason when not",
          security: [{ session: [] }],
          params: z.object({ id: z.string() }),
          response: {
            200: z.object({ items: z.array(ConversationTemplateDtoSchema) }),
            401: ApiErrorSchema,
            403: ApiErrorSchema,
            404: ApiErrorSchema,
          },
        },
      },
      async (request) => {
        const id = request.params.id;
        if (!isUuid(id)) return { items: [] };
        await assertConversationAccess(deps.db, userOf(request), id);
        return { items: await listConversationTemplates(deps.db, id, deps.clock?.() ?? new Date()) };
      },
    );
  };
}
