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
import type { ApiDeps } from "../../types";
import { actorOf, guards, ID_PARAMS, itemsOf } from "../route-options";

/** Löschfristen and legal holds under /api/admin (admins only). */
export function adminRetentionRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const { admin } = guards(app);
    const tags = ["privacy"];

    app.get(
      "/api/admin/retention-policies",
      admin({
        tags,
        summary: "Retention policies in force, with each category's default and minimum",
        response: { 200: RetentionPoliciesDtoSchema },
      }),
      async () => listRetentionPolicies(deps.db),
    );
    app.put(
      "/api/admin/retention-policies",
      admin({
        tags,
        summary: "Replace the retention policies (a period below the minimum needs confirm: true, else 409)",
        body: PutRetentionPoliciesBodySchema,
        response: { 200: RetentionPoliciesDtoSchema },
      }),
      async (request) => saveRetentionPolicies(deps.db, actorOf(request), request.body),
    );

    app.get(
      "/api/admin/legal-holds",
      admin({ tags, summary: "Legal holds in force", response: { 200: itemsOf(LegalHoldDtoSchema) } }),
      async () => ({ items: await listLegalHolds(deps.db, deps.clock()) }),
    );
    app.post(
      "/api/admin/legal-holds",
      admin({
        tags,
        summary: "Place a legal hold on a conversation or a contact",
        body: CreateLegalHoldBodySchema,
        response: { 201: LegalHoldDtoSchema },
      }),
      async (request, reply) => reply.status(201).send(await placeLegalHold(deps.db, actorOf(request), request.body)),
    );
    app.delete(
      "/api/admin/legal-holds/:id",
      admin({ tags, summary: "Release a legal hold", params: ID_PARAMS, response: { 204: z.null() } }),
      async (request, reply) => {
        await releaseLegalHold(deps.db, actorOf(request), request.params.id, deps.clock());
        return reply.status(204).send(null);
      },
    );
  };
}
