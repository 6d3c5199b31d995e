import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ApiErrorSchema, MessageDtoSchema } from "@inbox/contracts";
import { AppError, assertConversationAccess, isUuid, requestConsent } from "@inbox/core";
import type { ApiDeps } from "../deps";
import { userOf } from "../plugins/auth";

/** "Ask for consent": the configured question, in the customer's language, while their window is open. */
export function consentRequestRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      "/api/conversations/:id/consent-request",
      {
        preHandler: app.authenticate,
        schema: {
          tags: ["messages"],
          summary: "Send the consent question (opt-in purpose) in the customer's language; idempotent on clientId",
          security: [{ session: [] }],
          params: z.object({ id: z.string() }),
          body: z.object({ clientId: z.string().trim().min(1).max(100) }),
          response: {
            202: MessageDtoSchema.extend({ language: z.enum(["de", "en"]), purpose: z.enum(["service", "marketing"]) }),
            400: ApiErrorSchema,
            401: ApiErrorSchema,
            403: ApiErrorSchema,
            404: ApiErrorSchema,
            409: ApiErrorSchema,
          },
        },
      },
      async (request, reply) => {
        const user = userOf(request);
        const conversationId = request.params.id;
        if (!isUuid(conversationId)) throw new AppError("not_found", "Conversation not found.");
        await assertConversationAccess(deps.db, user, conversationId);
        const result = await requestConsent(
          { db: deps.db, clock: deps.clock, onOutboxWritten: deps.onOutboxWritten },
          { conversationId, userId: user.id, clientId: request.body.clientId, ip: request.ip },
        );
        request.log.info({ conversationId, messageId: result.message.id, isNew: result.isNew }, "consent requested");
        return reply.status(202).send({ ...result.message, language: result.language, purpose: result.purpose });
      },
    );
  };
}
