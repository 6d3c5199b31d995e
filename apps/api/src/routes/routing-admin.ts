import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  ApiErrorSchema,
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
  type Actor,
} from "@inbox/core";
import type { ApiDeps } from "../deps";
import { requireRole, userOf } from "../plugins/auth";

const errors = {
  400: ApiErrorSchema,
  401: ApiErrorSchema,
  403: ApiErrorSchema,
  404: ApiErrorSchema,
  409: ApiErrorSchema,
};
const security = [{ session: [] }];
const tags = ["routing"];
const params = z.object({ id: z.string() });
const actorOf = (request: FastifyRequest): Actor => ({ type: "user", userId: userOf(request).id, ip: request.ip });

/**
 * Routing administration (admins only): ordered routing rules (first match wins) and their tester, each channel's
 * default team, and team settings with members and leads.
 */
export function routingAdminRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const admin = [app.authenticate, requireRole("admin")];

    app.get(
      "/api/admin/routing-rules",
      {
        preHandler: admin,
        schema: {
          tags,
          summary: "Routing rules in order (first match wins)",
          security,
          response: { 200: z.object({ items: z.array(RoutingRuleDtoSchema) }), ...errors },
        },
      },
      async () => ({ items: await listRoutingRules(deps.db) }),
    );
    app.put(
      "/api/admin/routing-rules",
      {
        preHandler: admin,
        schema: {
          tags,
          summary: "Replace the routing rules (ordered list; invalid rules → 400 routing_rule_invalid)",
          security,
          body: PutRoutingRulesBodySchema,
          response: { 200: z.object({ items: z.array(RoutingRuleDtoSchema) }), ...errors },
        },
      },
      async (request) => {
        const rules = Array.isArray(request.body) ? request.body : request.body.rules;
        return { items: await replaceRoutingRules(deps.db, actorOf(request), rules) };
      },
    );
    app.post(
      "/api/admin/routing-rules/test",
      {
        preHandler: admin,
        schema: {
          tags,
          summary: "Which team would get this? (a sample first message against the saved or given rules)",
          security,
          body: RoutingTestBodySchema,
          response: { 200: RoutingTestResultSchema, ...errors },
        },
      },
      async (request) => testRouting(deps.db, request.body),
    );

    app.patch(
      "/api/admin/channels/:id",
      {
        preHandler: admin,
        schema: {
          tags,
          summary: "Set the channel's default team (new conversations no rule matches)",
          security,
          params,
          body: UpdateChannelBodySchema,
          response: { 200: z.object({ id: z.string(), defaultTeamId: z.string().nullable() }), ...errors },
        },
      },
      async (request) => {
        await setChannelDefaultTeam(deps.db, actorOf(request), request.params.id, request.body.defaultTeamId);
        return { id: request.params.id, defaultTeamId: request.body.defaultTeamId };
      },
    );

    app.get(
      "/api/admin/teams/:id",
      {
        preHandler: admin,
        schema: {
          tags,
          summary: "A team with settings and members",
          security,
          params,
          response: { 200: TeamDetailDtoSchema, ...errors },
        },
      },
      async (request) => {
        const team = (await listTeamDetails(deps.db)).find((t) => t.id === request.params.id);
        if (!team) throw new AppError("not_found", "Team not found.");
        return team;
      },
    );
    app.patch(
      "/api/admin/teams/:id",
      {
        preHandler: admin,
        schema: {
          tags,
          summary:
            "Rename a team; assignment mode, presence rule, away/greeting texts, business hours, members and leads",
          security,
          params,
          body: UpdateTeamBodySchema,
          response: { 200: TeamDetailDtoSchema, ...errors },
        },
      },
      async (request) => updateTeam(deps.db, actorOf(request), request.params.id, request.body),
    );
    app.delete(
      "/api/admin/teams/:id",
      {
        preHandler: admin,
        schema: { tags, summary: "Delete a team", security, params, response: { 204: z.null(), ...errors } },
      },
      async (request, reply) => {
        await deleteTeam(deps.db, actorOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
