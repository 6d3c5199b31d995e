import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { BulkReassignBodySchema, BulkReassignResponseSchema, TeamDashboardSchema } from "@inbox/contracts";
import { assignQueues, getTeamDashboard, reassignConversations } from "@inbox/core";
import { requireRole, userOf } from "../plugins/auth";
import type { ApiDeps } from "../types";
import { guards } from "./route-options";

/**
 * What team leads do: bulk reassignment (`POST /api/conversations/reassign`, leads in the teams they lead and admins;
 * one answer per conversation) and the live lead dashboard (`GET /api/teams/dashboard`).
 */
export function teamLeadRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const { signedIn } = guards(app);
    const leadOrAdmin = [app.authenticate, requireRole("lead", "admin")];
    const routing = { db: deps.db, onlineUserIds: () => deps.liveHub.online(), clock: deps.clock };

    app.post(
      "/api/conversations/reassign",
      {
        ...signedIn({
          tags: ["conversations"],
          summary: "Bulk reassign conversations to an agent and/or a team, with an optional internal note",
          body: BulkReassignBodySchema,
          response: { 200: BulkReassignResponseSchema },
        }),
        onRequest: leadOrAdmin,
      },
      async (request) => {
        const { queuedTeamIds, ...answer } = await reassignConversations(deps, {
          user: userOf(request),
          body: request.body,
          ip: request.ip,
        });
        // Conversations that went back to a queue are auto-assigned at once (the routing tick would within seconds).
        if (queuedTeamIds.length) {
          const assigned = await assignQueues(routing, queuedTeamIds);
          if (assigned.length) deps.live.add({ conversationIds: assigned.map((a) => a.conversationId) });
        }
        return answer;
      },
    );

    app.get(
      "/api/teams/dashboard",
      {
        ...signedIn({
          tags: ["routing"],
          summary: "Lead dashboard: per team queue, longest wait, agents' status/load/absence, today's figures",
          response: { 200: TeamDashboardSchema },
        }),
        onRequest: leadOrAdmin,
      },
      async (request) => getTeamDashboard(routing, userOf(request)),
    );
  };
}
