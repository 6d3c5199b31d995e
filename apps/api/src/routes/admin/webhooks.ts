import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import {
  QuarantinePageSchema,
  QuarantineQuerySchema,
  ReprocessBodySchema,
  ReprocessResultSchema,
} from "@inbox/contracts";
import { dismissQuarantinedDelivery, listQuarantinedDeliveries, reprocessQuarantinedDeliveries } from "@inbox/core";
import { z } from "zod";
import type { ApiDeps } from "../../types";
import { actorOf, guards, ID_PARAMS } from "../route-options";

/**
 * The webhook quarantine for admins: parts of signed deliveries that could not be tied to a conversation (see
 * `listQuarantinedDeliveries`), how many there are, applying them again (as `pnpm inbox webhooks reprocess` does)
 * and setting one aside.
 */
export function adminWebhookRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const { admin } = guards(app);
    const tags = ["admin"];

    app.get(
      "/api/admin/webhooks/quarantine",
      admin({
        tags,
        summary: "Quarantined webhook parts, newest first, with their total",
        querystring: QuarantineQuerySchema,
        response: { 200: QuarantinePageSchema },
      }),
      async (request) => listQuarantinedDeliveries(deps.db, request.query),
    );

    app.post(
      "/api/admin/webhooks/reprocess",
      admin({
        tags,
        summary: "Apply quarantined webhook parts again (optionally only those received since a time)",
        body: ReprocessBodySchema.optional(),
        response: { 200: ReprocessResultSchema },
      }),
      async (request) => {
        const since = request.body?.since ? new Date(request.body.since) : undefined;
        request.log.info({ since }, "reprocessing quarantined webhook parts");
        const result = await reprocessQuarantinedDeliveries({ db: deps.db, log: deps.log }, { since });
        if (result.applied > 0) deps.onOutboxWritten();
        return result;
      },
    );

    app.post(
      "/api/admin/webhooks/quarantine/:id/dismiss",
      admin({
        tags,
        summary: "Set a quarantined webhook part aside (audited)",
        params: ID_PARAMS,
        response: { 204: z.null() },
      }),
      async (request, reply) => {
        await dismissQuarantinedDelivery(deps.db, actorOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
