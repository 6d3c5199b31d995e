import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { CreateUserBodySchema, ResetPasswordBodySchema, UpdateUserBodySchema, UserDtoSchema } from "@inbox/contracts";
import { createUserAccount, listUsers, resetUserPassword, resetUserTotp, updateUser } from "@inbox/core";
import type { ApiDeps } from "../../types";
import { actorOf, guards, ID_PARAMS, itemsOf } from "../route-options";

/** Users and their roles, teams and passwords (admins). */
export function adminUserRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const { admin } = guards(app);
    const tags = ["admin"];

    app.get(
      "/api/admin/users",
      admin({ tags, summary: "All users", response: { 200: itemsOf(UserDtoSchema) } }),
      async () => ({
        items: await listUsers(deps.db),
      }),
    );
    app.post(
      "/api/admin/users",
      admin({ tags, summary: "Create a user", body: CreateUserBodySchema, response: { 201: UserDtoSchema } }),
      async (request, reply) => {
        // The admin chose this password: the new user replaces it at the first sign-in.
        const input = { ...request.body, mustChangePassword: true };
        return reply.status(201).send(await createUserAccount(deps.db, actorOf(request), input));
      },
    );
    app.patch(
      "/api/admin/users/:id",
      admin({
        tags,
        summary: "Change role, teams, name, locale; deactivate",
        params: ID_PARAMS,
        body: UpdateUserBodySchema,
        response: { 200: UserDtoSchema },
      }),
      async (request) => {
        const routing = { db: deps.db, onlineUserIds: () => deps.liveHub.online(), clock: deps.clock };
        const updateDeps = { db: deps.db, routing, live: deps.live, clock: deps.clock };
        return updateUser(updateDeps, actorOf(request), request.params.id, request.body);
      },
    );
    app.post(
      "/api/admin/users/:id/password",
      admin({
        tags,
        summary: "Reset a user's password (ends their sessions)",
        params: ID_PARAMS,
        body: ResetPasswordBodySchema,
        response: { 204: z.null() },
      }),
      async (request, reply) => {
        await resetUserPassword(deps.db, actorOf(request), request.params.id, request.body.password);
        return reply.status(204).send(null);
      },
    );
    app.post(
      "/api/admin/users/:id/totp/reset",
      admin({
        tags,
        summary: "Reset a user's two-factor authentication (lost phone): TOTP off, recovery codes gone, sessions end",
        params: ID_PARAMS,
        response: { 204: z.null() },
      }),
      async (request, reply) => {
        await resetUserTotp(deps.db, actorOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
