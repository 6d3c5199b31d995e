import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { CreateDataSubjectRequestBodySchema, DataSubjectRequestDtoSchema } from "@inbox/contracts";
import {
  createDataSubjectRequest,
  getDataSubjectRequest,
  listDataSubjectRequests,
  openDataSubjectExport,
} from "@inbox/core";
import type { ApiDeps } from "../../types";
import { requireRole } from "../../plugins/auth";
import { actorOf, guards, ID_PARAMS, itemsOf } from "../route-options";

/** Art. 15 export and Art. 17 erasure for a contact (admins only). */
export function adminDataSubjectRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const { admin } = guards(app);
    const tags = ["privacy"];
    const privacyDeps = {
      db: deps.db,
      media: deps.media,
      secrets: deps.secrets,
      queues: deps.queues,
      redis: deps.redis,
    };

    app.get(
      "/api/admin/data-subject-requests",
      admin({ tags, summary: "Recent data-subject requests", response: { 200: itemsOf(DataSubjectRequestDtoSchema) } }),
      async () => ({ items: await listDataSubjectRequests(deps.db) }),
    );
    app.post(
      "/api/admin/data-subject-requests",
      admin({
        tags,
        summary: "Export (Art. 15) or erase (Art. 17) a contact; erasure under legal hold → 409 legal_hold",
        body: CreateDataSubjectRequestBodySchema,
        response: { 201: DataSubjectRequestDtoSchema },
      }),
      async (request, reply) =>
        reply.status(201).send(await createDataSubjectRequest(privacyDeps, actorOf(request), request.body)),
    );
    app.get(
      "/api/admin/data-subject-requests/:id",
      admin({
        tags,
        summary: "A request's status (pending | done | failed) and report",
        params: ID_PARAMS,
        response: { 200: DataSubjectRequestDtoSchema },
      }),
      async (request) => getDataSubjectRequest(deps.db, request.params.id),
    );
    app.get(
      "/api/admin/data-subject-requests/:id/download",
      {
        // A file, not JSON: no response schema (guards' error schemas would type the reply as JSON).
        onRequest: [app.authenticate, requireRole("admin")],
        schema: {
          tags,
          summary: "The export as a zip (manifest.json, index.html, media/)",
          security: [{ session: [] }],
          params: ID_PARAMS,
        },
      },
      async (request, reply) => {
        const { stream, filename } = await openDataSubjectExport(privacyDeps, actorOf(request), request.params.id);
        return reply
          .header("content-type", "application/zip")
          .header("content-disposition", `attachment; filename="${filename}"`)
          .header("cache-control", "no-store")
          .send(stream);
      },
    );
  };
}
