import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  PutRoutingRulesBodySchema,
  RoutingRuleDtoSchema,
  RoutingTestBodySchema,
  RoutingTestResultSchema,
  TeamDetailDtoSchema,
  UpdateChannelBodySchema,
  UpdateTeamBodySchema,
} from "@inbox/contracts";
import {
  AppError,
  deleteTeam,
  listRoutingRules,
  listTeamDetails,
  replaceRoutingRules,
  setChannelDefaultTeam,
  testRouting,
  updateTeam,
} from "@inbox/core";
import type { ApiDeps } from "../../types";
import { actorOf, guards, ID_PARAMS, itemsOf } from "../route-options";

/**
 * Routing administration (admins only): ordered routing rules (first match wins) and their tester, each channel's
 * default team, and team settings with members and leads.
 */
export function adminRoutingRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const { admin } = guards(app);
    const tags = ["routing"];

    app.get(
      "/api/admin/routing-rules",
      admin({
        tags,
        summary: "Routing rules in order (first match wins)",
        response: { 200: itemsOf(RoutingRuleDtoSchema) },
      }),
      async () => ({ items: await listRoutingRules(deps.db) }),
    );
    app.put(
      "/api/admin/routing-rules",
      admin({
        tags,
        summary: "Replace the routing rules (ordered list; invalid rules → 400 routing_rule_invalid)",
        body: PutRoutingRulesBodySchema,
        response: { 200: itemsOf(RoutingRuleDtoSchema) },
      }),
      async (request) => {
        const rules = Array.isArray(request.body) ? request.body : request.body.rules;
        return { items: await replaceRoutingRules(deps.db, actorOf(request), rules) };
      },
    );
    app.post(
      "/api/admin/routing-rules/test",
      admin({
        tags,
        summary: "Which team would get this? (a sample first message against the saved or given rules)",
        body: RoutingTestBodySchema,
        response: { 200: RoutingTestResultSchema },
      }),
      async (request) => testRouting(deps.db, request.body),
    );

    app.patch(
      "/api/admin/channels/:id",
      admin({
        tags,
        summary: "Set the channel's default team (new conversations no rule matches)",
        params: ID_PARAMS,
        body: UpdateChannelBodySchema,
        response: { 200: z.object({ id: z.string(), defaultTeamId: z.string().nullable() }) },
      }),
      async (request) => {
        await setChannelDefaultTeam(deps.db, actorOf(request), request.params.id, request.body.defaultTeamId);
        return { id: request.params.id, defaultTeamId: request.body.defaultTeamId };
      },
    );

    app.get(
      "/api/admin/teams/:id",
      admin({
        tags,
        summary: "A team with settings and members",
        params: ID_PARAMS,
        response: { 200: TeamDetailDtoSchema },
      }),
      async (request) => {
        const team = (await listTeamDetails(deps.db)).find((t) => t.id === request.params.id);
        if (!team) throw new AppError("not_found", "Team not found.");
        return team;
      },
    );
    app.patch(
      "/api/admin/teams/:id",
      admin({
        tags,
        summary:
          "Rename a team; assignment mode, presence rule, away/greeting texts, business hours, members and leads",
        params: ID_PARAMS,
        body: UpdateTeamBodySchema,
        response: { 200: TeamDetailDtoSchema },
      }),
      async (request) => updateTeam(deps.db, actorOf(request), request.params.id, request.body),
    );
    app.delete(
      "/api/admin/teams/:id",
      admin({ tags, summary: "Delete a team", params: ID_PARAMS, response: { 204: z.null() } }),
      async (request, reply) => {
        await deleteTeam(deps.db, actorOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
