import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { AuditEntryDtoSchema, AuditLogQuerySchema } from "@inbox/contracts";
import { exportAuditLogCsv, listAuditLog } from "@inbox/core";
import type { ApiDeps } from "../deps";
import { requireRole } from "../plugins/auth";
import {
  actorOfRequest as actorOf,
  privacyErrors as errors,
  privacySecurity as security,
  privacyTags as tags,
} from "./privacy-shared";

/** The audit log for admins: filtered pages, and the same filters as a CSV download. */
export function auditAdminRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const admin = [app.authenticate, requireRole("admin")];
    app.get(
      "/api/admin/audit-log",
      {
        preHandler: admin,
        schema: {
          tags,
          summary: "Audit log, newest first (filters action, actorId, since; keyset-paged)",
          security,
          querystring: AuditLogQuerySchema,
          response: {
            200: z.object({ items: z.array(AuditEntryDtoSchema), nextCursor: z.string().nullable() }),
            ...errors,
          },
        },
      },
      async (request) => listAuditLog(deps.db, request.query),
    );
    app.get(
      "/api/admin/audit-log.csv",
      {
        preHandler: admin,
        schema: {
          tags,
          summary: "Audit log as CSV (same filters; at most 50,000 rows)",
          security,
          querystring: AuditLogQuerySchema.omit({ limit: true, cursor: true }),
        },
      },
      async (request, reply) => {
        const csv = await exportAuditLogCsv(deps.db, actorOf(request), request.query);
        return reply
          .header("content-type", "text/csv; charset=utf-8")
          .header("content-disposition", `attachment; filename="audit-log.csv"`)
          .send(csv);
      },
    );
  };
}
