import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  ApiErrorSchema,
  ChannelDtoSchema,
  CreateTeamBodySchema,
  CreateUserBodySchema,
  LabelBodySchema,
  LabelDtoSchema,
  QuickReplyBodySchema,
  QuickReplyDtoSchema,
  ResetPasswordBodySchema,
  SecuritySettingsBodySchema,
  SecuritySettingsSchema,
  TeamDtoSchema,
  UpdateUserBodySchema,
  UserDtoSchema,
} from "@inbox/contracts";
import {
  createTeam,
  createUser,
  deleteLabel,
  deleteQuickReply,
  listChannels,
  listLabels,
  listQuickReplies,
  listTeams,
  listUsers,
  readSecuritySettings,
  resetUserPassword,
  resetUserTotp,
  updateSecuritySettings,
  saveLabel,
  saveQuickReply,
  setUserTeams,
  updateUser,
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
const params = z.object({ id: z.string() });
const actorOf = (request: FastifyRequest): Actor => ({ type: "user", userId: userOf(request).id, ip: request.ip });
const items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

/** Admin basics under /api/admin/* (admins only), plus the read-only directory every signed-in user needs. */
export function adminRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const admin = [app.authenticate, requireRole("admin")];
    const anyone = app.authenticate;
    const tags = ["admin"];

    // Directory: every signed-in user (assign menus, label pickers, quick replies).
    app.get(
      "/api/users",
      {
        onRequest: anyone,
        schema: {
          tags: ["directory"],
          summary: "Active users (names for assignment)",
          security,
          response: {
            200: items(z.object({ id: z.string(), name: z.string(), role: z.string(), teamIds: z.array(z.string()) })),
            ...errors,
          },
        },
      },
      async () => ({
        items: (await listUsers(deps.db))
          .filter((u) => u.isActive)
          .map((u) => ({ id: u.id, name: u.name, role: u.role, teamIds: u.teamIds })),
      }),
    );
    app.get(
      "/api/teams",
      {
        onRequest: anyone,
        schema: { tags: ["directory"], summary: "Teams", security, response: { 200: items(TeamDtoSchema), ...errors } },
      },
      async () => ({ items: await listTeams(deps.db) }),
    );
    app.get(
      "/api/labels",
      {
        onRequest: anyone,
        schema: {
          tags: ["directory"],
          summary: "Labels",
          security,
          response: { 200: items(LabelDtoSchema), ...errors },
        },
      },
      async () => ({ items: await listLabels(deps.db) }),
    );
    app.get(
      "/api/quick-replies",
      {
        onRequest: anyone,
        schema: {
          tags: ["directory"],
          summary: "Quick replies for the user's teams",
          security,
          response: { 200: items(QuickReplyDtoSchema), ...errors },
        },
      },
      async (request) => ({ items: await listQuickReplies(deps.db, userOf(request).teamIds) }),
    );
    app.get(
      "/api/channels",
      {
        onRequest: anyone,
        schema: {
          tags: ["directory"],
          summary: "Channels with their status",
          security,
          response: { 200: items(ChannelDtoSchema), ...errors },
        },
      },
      async () => ({ items: await listChannels(deps.db) }),
    );

    app.get(
      "/api/admin/users",
      {
        onRequest: admin,
        schema: { tags, summary: "All users", security, response: { 200: items(UserDtoSchema), ...errors } },
      },
      async () => ({ items: await listUsers(deps.db) }),
    );
    app.post(
      "/api/admin/users",
      {
        onRequest: admin,
        schema: {
          tags,
          summary: "Create a user",
          security,
          body: CreateUserBodySchema,
          response: { 201: UserDtoSchema, ...errors },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const user = await deps.db.$transaction(async (tx) => {
          const created = await createUser(
            tx,
            {
              email: body.email,
              password: body.password,
              role: body.role,
              locale: body.locale,
              // The admin chose this password: the new user replaces it at the first sign-in.
              mustChangePassword: true,
              ...(body.name ? { name: body.name } : {}),
            },
            actorOf(request),
          );
          await setUserTeams(tx, created.id, body.teamIds, body.role);
          return created;
        });
        const dto = (await listUsers(deps.db)).find((u) => u.id === user.id)!;
        return reply.status(201).send(dto);
      },
    );
    app.patch(
      "/api/admin/users/:id",
      {
        onRequest: admin,
        schema: {
          tags,
          summary: "Change role, teams, name, locale; deactivate",
          security,
          params,
          body: UpdateUserBodySchema,
          response: { 200: UserDtoSchema, ...errors },
        },
      },
      async (request) => {
        await updateUser(deps.db, actorOf(request), request.params.id, request.body);
        return (await listUsers(deps.db)).find((u) => u.id === request.params.id)!;
      },
    );
    app.post(
      "/api/admin/users/:id/password",
      {
        onRequest: admin,
        schema: {
          tags,
          summary: "Reset a user's password (ends their sessions)",
          security,
          params,
          body: ResetPasswordBodySchema,
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        await resetUserPassword(deps.db, actorOf(request), request.params.id, request.body.password);
        return reply.status(204).send(null);
      },
    );

    app.post(
      "/api/admin/users/:id/totp/reset",
      {
        onRequest: admin,
        schema: {
          tags,
          summary: "Reset a user's two-factor authentication (lost phone): TOTP off, recovery codes gone, sessions end",
          security,
          params,
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        await resetUserTotp(deps.db, actorOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.get(
      "/api/admin/teams",
      {
        onRequest: admin,
        schema: { tags, summary: "Teams", security, response: { 200: items(TeamDtoSchema), ...errors } },
      },
      async () => ({ items: await listTeams(deps.db) }),
    );
    app.post(
      "/api/admin/teams",
      {
        onRequest: admin,
        schema: {
          tags,
          summary: "Create a team",
          security,
          body: CreateTeamBodySchema,
          response: { 201: TeamDtoSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await createTeam(deps.db, actorOf(request), request.body)),
    );

    app.get(
      "/api/admin/labels",
      {
        onRequest: admin,
        schema: { tags, summary: "Labels", security, response: { 200: items(LabelDtoSchema), ...errors } },
      },
      async () => ({ items: await listLabels(deps.db) }),
    );
    app.post(
      "/api/admin/labels",
      {
        onRequest: admin,
        schema: {
          tags,
          summary: "Create a label",
          security,
          body: LabelBodySchema,
          response: { 201: LabelDtoSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await saveLabel(deps.db, actorOf(request), request.body)),
    );
    app.put(
      "/api/admin/labels/:id",
      {
        onRequest: admin,
        schema: {
          tags,
          summary: "Rename or recolour a label",
          security,
          params,
          body: LabelBodySchema,
          response: { 200: LabelDtoSchema, ...errors },
        },
      },
      async (request) => saveLabel(deps.db, actorOf(request), { id: request.params.id, ...request.body }),
    );
    app.delete(
      "/api/admin/labels/:id",
      {
        onRequest: admin,
        schema: { tags, summary: "Delete a label", security, params, response: { 204: z.null(), ...errors } },
      },
      async (request, reply) => {
        await deleteLabel(deps.db, actorOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.get(
      "/api/admin/quick-replies",
      {
        onRequest: admin,
        schema: {
          tags,
          summary: "All quick replies (Textbausteine)",
          security,
          response: { 200: items(QuickReplyDtoSchema), ...errors },
        },
      },
      async () => ({ items: await listQuickReplies(deps.db) }),
    );
    app.post(
      "/api/admin/quick-replies",
      {
        onRequest: admin,
        schema: {
          tags,
          summary: "Create a quick reply",
          security,
          body: QuickReplyBodySchema,
          response: { 201: QuickReplyDtoSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await saveQuickReply(deps.db, actorOf(request), request.body)),
    );
    app.put(
      "/api/admin/quick-replies/:id",
      {
        onRequest: admin,
        schema: {
          tags,
          summary: "Change a quick reply",
          security,
          params,
          body: QuickReplyBodySchema,
          response: { 200: QuickReplyDtoSchema, ...errors },
        },
      },
      async (request) => saveQuickReply(deps.db, actorOf(request), { id: request.params.id, ...request.body }),
    );
    app.delete(
      "/api/admin/quick-replies/:id",
      {
        onRequest: admin,
        schema: { tags, summary: "Delete a quick reply", security, params, response: { 204: z.null(), ...errors } },
      },
      async (request, reply) => {
        await deleteQuickReply(deps.db, actorOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.get(
      "/api/admin/channels",
      {
        onRequest: admin,
        schema: {
          tags,
          summary: "Channels: number, quality, connection state, last webhook",
          security,
          response: { 200: items(ChannelDtoSchema), ...errors },
        },
      },
      async () => ({ items: await listChannels(deps.db) }),
    );

    app.get(
      "/api/admin/settings/security",
      {
        onRequest: admin,
        schema: { tags, summary: "Security settings", security, response: { 200: SecuritySettingsSchema, ...errors } },
      },
      async () => readSecuritySettings(deps.db),
    );
    app.put(
      "/api/admin/settings/security",
      {
        onRequest: admin,
        schema: {
          tags,
          summary: "Mandatory TOTP (ends sessions without a second factor); whether leads see team-less conversations",
          description: "Making TOTP mandatory is refused (409) while the admin has no second factor of their own.",
          security,
          body: SecuritySettingsBodySchema,
          response: { 200: SecuritySettingsSchema, ...errors },
        },
      },
      async (request) => updateSecuritySettings(deps.db, actorOf(request), request.body),
    );
  };
}
