import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  ApiErrorSchema,
  QuarantinePageSchema,
  QuarantineQuerySchema,
  ReprocessBodySchema,
  ReprocessResultSchema,
} from "@inbox/contracts";
import { dismissQuarantinedDelivery, listQuarantinedDeliveries, reprocessQuarantinedDeliveries } from "@inbox/core";
import type { ApiDeps } from "../deps";
import { requireRole, userOf } from "../plugins/auth";

const errors = { 400: ApiErrorSchema, 401: ApiErrorSchema, 403: ApiErrorSchema, 404: ApiErrorSchema };
const security = [{ session: [] }];

/**
 * The webhook quarantine for admins: parts of signed deliveries that could not be tied to a conversation (see
 * `listQuarantinedDeliveries`), how many there are, applying them again (as `pnpm inbox webhooks reprocess` does)
 * and setting one aside.
 */
export function webhookQuarantineRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const preHandler = [app.authenticate, requireRole("admin")];

    app.get(
      "/api/admin/webhooks/quarantine",
      {
        preHandler,
        schema: {
          tags: ["admin"],
          summary: "Quarantined webhook parts, newest first, with their total",
          security,
          querystring: QuarantineQuerySchema,
          response: { 200: QuarantinePageSchema, ...errors },
        },
      },
      async (request) => listQuarantinedDeliveries(deps.db, request.query),
    );

    app.post(
      "/api/admin/webhooks/reprocess",
      {
        preHandler,
        schema: {
          tags: ["admin"],
          summary: "Apply quarantined webhook parts again (optionally only those received since a time)",
          security,
          body: ReprocessBodySchema.optional(),
          response: { 200: ReprocessResultSchema, ...errors },
        },
      },
      async (request) => {
        const since = request.body?.since ? new Date(request.body.since) : undefined;
        request.log.info({ since }, "reprocessing quarantined webhook parts");
        const result = await reprocessQuarantinedDeliveries({ db: deps.db, log: deps.log }, { since });
        if (result.applied > 0) deps.onOutboxWritten?.();
        return result;
      },
    );

    app.post(
      "/api/admin/webhooks/quarantine/:id/dismiss",
      {
        preHandler,
        schema: {
          tags: ["admin"],
          summary: "Set a quarantined webhook part aside (audited)",
          security,
          params: z.object({ id: z.string() }),
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        const user = userOf(request);
        await dismissQuarantinedDelivery(deps.db, { type: "user", userId: user.id, ip: request.ip }, request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
