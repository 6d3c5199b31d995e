import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { AbsenceDtoSchema, ApiErrorSchema, CreateAbsenceBodySchema } from "@inbox/contracts";
import {
  applyAbsences,
  buildLiveEvents,
  createAbsence,
  createLivePublisher,
  deleteAbsence,
  listAbsences,
  type AbsenceActor,
} from "@inbox/core";
import type { ApiDeps } from "../deps";
import { userOf } from "../plugins/auth";

const errors = {
  400: ApiErrorSchema,
  401: ApiErrorSchema,
  403: ApiErrorSchema,
  404: ApiErrorSchema,
  409: ApiErrorSchema,
};
const security = [{ session: [] }];
const tags = ["routing"];

/**
 * Vacation cover: `POST|GET /api/absences`, `DELETE /api/absences/:id`. Agents for themselves, leads for members of
 * the teams they lead, admins for anyone (else 403). A change takes effect at once (handover at the start, return
 * at the end); the worker's routing tick does the same for absences that start or end later.
 */
export function absenceRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const publisher = createLivePublisher(deps.redis, deps.queues.prefix, deps.log);
    const now = () => deps.clock?.() ?? new Date();
    const actorOf = (request: FastifyRequest): AbsenceActor => {
      const user = userOf(request);
      return { id: user.id, role: user.role, ip: request.ip };
    };
    const applyNow = async () => {
      const ids = await applyAbsences(deps.db, now());
      if (ids.length) await publisher.publish(await buildLiveEvents(deps.db, { conversationIds: ids }));
    };

    app.post(
      "/api/absences",
      {
        preHandler: app.authenticate,
        schema: {
          tags,
          summary: "Record an absence with its substitute (agent or team)",
          security,
          body: CreateAbsenceBodySchema,
          response: { 201: AbsenceDtoSchema, ...errors },
        },
      },
      async (request, reply) => {
        const absence = await createAbsence(deps.db, actorOf(request), request.body, now());
        await applyNow();
        return reply.status(201).send(absence);
      },
    );
    app.get(
      "/api/absences",
      {
        preHandler: app.authenticate,
        schema: {
          tags,
          summary: "Current and future absences I may see (who covers whom, until when)",
          security,
          response: { 200: z.object({ items: z.array(AbsenceDtoSchema) }), ...errors },
        },
      },
      async (request) => ({ items: await listAbsences(deps.db, actorOf(request), now()) }),
    );
    app.delete(
      "/api/absences/:id",
      {
        preHandler: app.authenticate,
        schema: {
          tags,
          summary: "Cancel a future absence or end a running one now",
          security,
          params: z.object({ id: z.string() }),
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        await deleteAbsence(deps.db, actorOf(request), request.params.id, now());
        await applyNow();
        return reply.status(204).send(null);
      },
    );
  };
}
