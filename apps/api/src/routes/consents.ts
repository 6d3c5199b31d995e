import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { ConsentRecordDtoSchema, RecordConsentBodySchema } from "@inbox/contracts";
import { recordAgentConsent } from "@inbox/core";
import { userOf } from "../plugins/auth";
import type { ApiDeps } from "../types";
import { guards, ID_PARAMS } from "./route-options";

/**
 * An agent's consent entry: `POST /api/conversations/:id/consents {purpose, status, reason}` records, for the
 * conversation's contact, a consent the customer gave or withdrew outside the chat (recorded like every consent,
 * through `recordConsent`, and audited). Anyone who may access the conversation may enter one.
 */
export function consentRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const { signedIn } = guards(app);
    app.post(
      "/api/conversations/:id/consents",
      signedIn({
        tags: ["conversations"],
        summary: "Record a consent the customer gave or withdrew outside the chat (with the reason)",
        params: ID_PARAMS,
        body: RecordConsentBodySchema,
        response: { 201: ConsentRecordDtoSchema },
      }),
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
