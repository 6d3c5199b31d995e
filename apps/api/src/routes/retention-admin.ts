import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  CreateLegalHoldBodySchema,
  LegalHoldDtoSchema,
  PutRetentionPoliciesBodySchema,
  RetentionPoliciesDtoSchema,
} from "@inbox/contracts";
import {
  listLegalHolds,
  listRetentionPolicies,
  placeLegalHold,
  releaseLegalHold,
  saveRetentionPolicies,
} from "@inbox/core";
import type { ApiDeps } from "../deps";
import { requireRole } from "../plugins/auth";
import {
  actorOfRequest as actorOf,
  privacyErrors as errors,
  privacySecurity as security,
  privacyTags as tags,
} from "./privacy-shared";

/** Löschfristen and legal holds under /api/admin (admins only). */
export function retentionAdminRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const admin = [app.authenticate, requireRole("admin")];

    app.get(
      "/api/admin/retention-policies",
      {
        preHandler: admin,
        schema: {
          tags,
          summary: "Retention policies in force, with each category's default and minimum",
          security,
          response: { 200: RetentionPoliciesDtoSchema, ...errors },
        },
      },
      async () => listRetentionPolicies(deps.db),
    );
    app.put(
      "/api/admin/retention-policies",
      {
        preHandler: admin,
        schema: {
          tags,
          summary: "Replace the retention policies (a period below the minimum needs confirm: true, else 409)",
          security,
          body: PutRetentionPoliciesBodySchema,
          response: { 200: RetentionPoliciesDtoSchema, ...errors },
        },
      },
      async (request) => saveRetentionPolicies(deps.db, actorOf(request), request.body),
    );

    app.get(
      "/api/admin/legal-holds",
      {
        preHandler: admin,
        schema: {
          tags,
          summary: "Legal holds in force",
          security,
          response: { 200: z.object({ items: z.array(LegalHoldDtoSchema) }), ...errors },
        },
      },
      async () => ({ items: await listLegalHolds(deps.db) }),
    );
    app.post(
      "/api/admin/legal-holds",
      {
        preHandler: admin,
        schema: {
          tags,
          summary: "Place a legal hold on a conversation or a contact",
          security,
          body: CreateLegalHoldBodySchema,
          response: { 201: LegalHoldDtoSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await placeLegalHold(deps.db, actorOf(request), request.body)),
    );
    app.delete(
      "/api/admin/legal-holds/:id",
      {
        preHandler: admin,
        schema: {
          tags,
          summary: "Release a legal hold",
          security,
          params: z.object({ id: z.string() }),
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        await releaseLegalHold(deps.db, actorOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
