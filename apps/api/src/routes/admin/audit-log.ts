import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { AuditEntryDtoSchema, AuditLogQuerySchema } from "@inbox/contracts";
import { exportAuditLogCsv, listAuditLog } from "@inbox/core";
import type { ApiDeps } from "../../types";
import { requireRole } from "../../plugins/auth";
import { actorOf, guards } from "../route-options";

/** The audit log for admins: filtered pages, and the same filters as a CSV download. */
export function adminAuditLogRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const { admin } = guards(app);
    const tags = ["privacy"];

    app.get(
      "/api/admin/audit-log",
      admin({
        tags,
        summary: "Audit log, newest first (filters action, actorId, since; keyset-paged)",
        querystring: AuditLogQuerySchema,
        response: { 200: z.object({ items: z.array(AuditEntryDtoSchema), nextCursor: z.string().nullable() }) },
      }),
      async (request) => listAuditLog(deps.db, request.query),
    );
    app.get(
      "/api/admin/audit-log.csv",
      {
        // A file, not JSON: no response schema (guards' error schemas would type the reply as JSON).
        onRequest: [app.authenticate, requireRole("admin")],
        schema: {
          tags,
          summary: "Audit log as CSV (same filters; at most 50,000 rows)",
          security: [{ session: [] }],
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
