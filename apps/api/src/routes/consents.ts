import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ApiErrorSchema, ConsentRecordDtoSchema, RecordConsentBodySchema } from "@inbox/contracts";
import { recordAgentConsent } from "@inbox/core";
import type { ApiDeps } from "../deps";
import { userOf } from "../plugins/auth";

const errors = { 400: ApiErrorSchema, 401: ApiErrorSchema, 403: ApiErrorSchema, 404: ApiErrorSchema };

/**
 * An agent's consent entry: `POST /api/conversations/:id/consents {purpose, status, reason}` records, for the
 * conversation's contact, a consent the customer gave or withdrew outside the chat (recorded like every consent,
 * source `agent`, audited as `consent.recorded`). 201 with the record; who may answer the conversation may enter it.
 */
export function consentRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      "/api/conversations/:id/consents",
      {
        preHandler: app.authenticate,
        schema: {
          tags: ["conversations"],
          summary: "Record a consent the customer gave or withdrew outside the chat (with the reason)",
          security: [{ session: [] }],
          params: z.object({ id: z.string() }),
          body: RecordConsentBodySchema,
          response: { 201: ConsentRecordDtoSchema, ...errors },
        },
      },
      async (request, reply) => {
        const consent = await recordAgentConsent(deps.db, userOf(request), {
          conversationId: request.params.id,
          ...request.body,
          ip: request.ip,
        });
        return reply.status(201).send(consent);
      },
    );
  };
}
