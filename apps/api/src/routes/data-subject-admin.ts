import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { CreateDataSubjectRequestBodySchema, DataSubjectRequestDtoSchema } from "@inbox/contracts";
import {
  createDataSubjectRequest,
  createMediaStore,
  getDataSubjectRequest,
  listDataSubjectRequests,
  openDataSubjectExport,
} from "@inbox/core";
import type { ApiDeps } from "../deps";
import { requireRole } from "../plugins/auth";
import {
  actorOfRequest as actorOf,
  privacyErrors as errors,
  privacySecurity as security,
  privacyTags as tags,
} from "./privacy-shared";

const params = z.object({ id: z.string() });

/** Art. 15 export and Art. 17 erasure for a contact (admins only). */
export function dataSubjectAdminRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const admin = [app.authenticate, requireRole("admin")];
    const privacyDeps = () => ({
      db: deps.db,
      media: createMediaStore(deps.env),
      queues: deps.queues,
      redis: deps.redis,
    });

    app.get(
      "/api/admin/data-subject-requests",
      {
        preHandler: admin,
        schema: {
          tags,
          summary: "Recent data-subject requests",
          security,
          response: { 200: z.object({ items: z.array(DataSubjectRequestDtoSchema) }), ...errors },
        },
      },
      async () => ({ items: await listDataSubjectRequests(deps.db) }),
    );
    app.post(
      "/api/admin/data-subject-requests",
      {
        preHandler: admin,
        schema: {
          tags,
          summary: "Export (Art. 15) or erase (Art. 17) a contact; erasure under legal hold → 409 legal_hold",
          security,
          body: CreateDataSubjectRequestBodySchema,
          response: { 201: DataSubjectRequestDtoSchema, ...errors },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await createDataSubjectRequest(privacyDeps(), actorOf(request), request.body)),
    );
    app.get(
      "/api/admin/data-subject-requests/:id",
      {
        preHandler: admin,
        schema: {
          tags,
          summary: "A request's status (pending | done | failed) and report",
          security,
          params,
          response: { 200: DataSubjectRequestDtoSchema, ...errors },
        },
      },
      async (request) => getDataSubjectRequest(deps.db, request.params.id),
    );
    app.get(
      "/api/admin/data-subject-requests/:id/download",
      {
        preHandler: admin,
        schema: { tags, summary: "The export as a zip (manifest.json, index.html, media/)", security, params },
      },
      async (request, reply) => {
        const { stream, filename } = await openDataSubjectExport(privacyDeps(), actorOf(request), request.params.id);
        return reply
          .header("content-type", "application/zip")
          .header("content-disposition", `attachment; filename="${filename}"`)
          .header("cache-control", "no-store")
          .send(stream);
      },
    );
  };
}
