import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { AbsenceDtoSchema, CreateAbsenceBodySchema } from "@inbox/contracts";
import { applyAbsences, createAbsence, deleteAbsence, listAbsences, type AbsenceActor } from "@inbox/core";
import { userOf } from "../plugins/auth";
import type { ApiDeps } from "../types";
import { guards, ID_PARAMS, itemsOf } from "./route-options";

/**
 * Vacation cover: `POST|GET /api/absences`, `DELETE /api/absences/:id`. Agents for themselves, leads for members of
 * the teams they lead, admins for anyone (else 403). A change takes effect at once (handover at the start, return
 * at the end); the worker's routing tick does the same for absences that start or end later.
 */
export function absenceRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const { signedIn } = guards(app);
    const tags = ["routing"];
    const actorOf = (request: FastifyRequest): AbsenceActor => {
      const user = userOf(request);
      return { id: user.id, role: user.role, ip: request.ip };
    };
    const applyNow = async () => {
      const ids = await applyAbsences(deps.db, deps.clock());
      if (ids.length) deps.live.add({ conversationIds: ids });
    };

    app.post(
      "/api/absences",
      signedIn({
        tags,
        summary: "Record an absence with its substitute (agent or team)",
        body: CreateAbsenceBodySchema,
        response: { 201: AbsenceDtoSchema },
      }),
      async (request, reply) => {
        const absence = await createAbsence(deps.db, actorOf(request), request.body, deps.clock());
        await applyNow();
        return reply.status(201).send(absence);
      },
    );
    app.get(
      "/api/absences",
      signedIn({
        tags,
        summary: "Current and future absences I may see (who covers whom, until when)",
        response: { 200: itemsOf(AbsenceDtoSchema) },
      }),
      async (request) => ({ items: await listAbsences(deps.db, actorOf(request), deps.clock()) }),
    );
    app.delete(
      "/api/absences/:id",
      signedIn({
        tags,
        summary: "Cancel a future absence or end a running one now",
        params: ID_PARAMS,
        response: { 204: z.null() },
      }),
      async (request, reply) => {
        await deleteAbsence(deps.db, actorOf(request), request.params.id, deps.clock());
        await applyNow();
        return reply.status(204).send(null);
      },
    );
  };
}
