import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  CreateTeamBodySchema,
  LabelBodySchema,
  LabelDtoSchema,
  QuickReplyBodySchema,
  QuickReplyDtoSchema,
  TeamDtoSchema,
} from "@inbox/contracts";
import {
  createTeam,
  deleteLabel,
  deleteQuickReply,
  listLabels,
  listQuickReplies,
  listTeams,
  saveLabel,
  saveQuickReply,
} from "@inbox/core";
import type { ApiDeps } from "../../types";
import { actorOf, guards, ID_PARAMS, itemsOf } from "../route-options";

/** Teams, labels and quick replies (admins). */
export function adminCatalogRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const { admin } = guards(app);
    const tags = ["admin"];
    const deleted = { 204: z.null() };

    app.get(
      "/api/admin/teams",
      admin({ tags, summary: "Teams", response: { 200: itemsOf(TeamDtoSchema) } }),
      async () => ({
        items: await listTeams(deps.db),
      }),
    );
    app.post(
      "/api/admin/teams",
      admin({ tags, summary: "Create a team", body: CreateTeamBodySchema, response: { 201: TeamDtoSchema } }),
      async (request, reply) => reply.status(201).send(await createTeam(deps.db, actorOf(request), request.body)),
    );

    app.get(
      "/api/admin/labels",
      admin({ tags, summary: "Labels", response: { 200: itemsOf(LabelDtoSchema) } }),
      async () => ({
        items: await listLabels(deps.db),
      }),
    );
    app.post(
      "/api/admin/labels",
      admin({ tags, summary: "Create a label", body: LabelBodySchema, response: { 201: LabelDtoSchema } }),
      async (request, reply) => reply.status(201).send(await saveLabel(deps.db, actorOf(request), request.body)),
    );
    app.put(
      "/api/admin/labels/:id",
      admin({
        tags,
        summary: "Rename or recolour a label",
        params: ID_PARAMS,
        body: LabelBodySchema,
        response: { 200: LabelDtoSchema },
      }),
      async (request) => saveLabel(deps.db, actorOf(request), { id: request.params.id, ...request.body }),
    );
    app.delete(
      "/api/admin/labels/:id",
      admin({ tags, summary: "Delete a label", params: ID_PARAMS, response: deleted }),
      async (request, reply) => {
        await deleteLabel(deps.db, actorOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.get(
      "/api/admin/quick-replies",
      admin({ tags, summary: "All quick replies (Textbausteine)", response: { 200: itemsOf(QuickReplyDtoSchema) } }),
      async () => ({ items: await listQuickReplies(deps.db) }),
    );
    app.post(
      "/api/admin/quick-replies",
      admin({
        tags,
        summary: "Create a quick reply",
        body: QuickReplyBodySchema,
        response: { 201: QuickReplyDtoSchema },
      }),
      async (request, reply) => reply.status(201).send(await saveQuickReply(deps.db, actorOf(request), request.body)),
    );
    app.put(
      "/api/admin/quick-replies/:id",
      admin({
        tags,
        summary: "Change a quick reply",
        params: ID_PARAMS,
        body: QuickReplyBodySchema,
        response: { 200: QuickReplyDtoSchema },
      }),
      async (request) => saveQuickReply(deps.db, actorOf(request), { id: request.params.id, ...request.body }),
    );
    app.delete(
      "/api/admin/quick-replies/:id",
      admin({ tags, summary: "Delete a quick reply", params: ID_PARAMS, response: deleted }),
      async (request, reply) => {
        await deleteQuickReply(deps.db, actorOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
