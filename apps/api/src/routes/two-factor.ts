import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ApiErrorSchema, SessionDtoSchema } from "@inbox/contracts";
import {
  AppError,
  countRecoveryCodes,
  findSession,
  generateRecoveryCodes,
  isUuid,
  resetUserTotp,
  verifySessionWithRecoveryCode,
} from "@inbox/core";
import type { ApiDeps } from "../deps";
import { requireRole, sessionTokenOf, userOf } from "../plugins/auth";
import { LOGIN_RATE_LIMIT, sessionDto } from "./auth";

const errors = {
  400: ApiErrorSchema,
  401: ApiErrorSchema,
  403: ApiErrorSchema,
  404: ApiErrorSchema,
  409: ApiErrorSchema,
  429: ApiErrorSchema,
};
const security = [{ session: [] }];

/**
 * 2FA self-service beyond enrolment (which is /api/auth/totp/enroll + /confirm): one-time recovery codes, signing
 * in with one, and the admins' reset for a user who lost both.
 */
export function twoFactorRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const clock = deps.clock ?? (() => new Date());

    app.get(
      "/api/auth/recovery-codes",
      {
        preHandler: app.authenticate,
        schema: {
          tags: ["auth"],
          summary: "How many unused recovery codes the user has",
          security,
          response: { 200: z.object({ remaining: z.number().int() }), ...errors },
        },
      },
      async (request) => ({ remaining: await countRecoveryCodes(deps.db, userOf(request).id) }),
    );

    app.post(
      "/api/auth/recovery-codes",
      {
        preHandler: app.authenticate,
        config: { rateLimit: { max: LOGIN_RATE_LIMIT, timeWindow: "1 minute" } },
        schema: {
          tags: ["auth"],
          summary:
            "A new set of one-time recovery codes (shown once; earlier codes stop working). Password required except right after enabling 2FA",
          security,
          body: z.object({ password: z.string().max(1000).optional() }).default({}),
          response: { 200: z.object({ codes: z.array(z.string()) }), ...errors },
        },
      },
      async (request) => {
        const user = userOf(request);
        const codes = await generateRecoveryCodes(
          deps.db,
          { userId: user.id, password: request.body.password, ip: request.ip },
          clock(),
        );
        return { codes };
      },
    );

    app.post(
      "/api/auth/totp/recovery",
      {
        preHandler: app.authenticate,
        config: { allowUnverifiedSession: true, rateLimit: { max: LOGIN_RATE_LIMIT, timeWindow: "1 minute" } },
        schema: {
          tags: ["auth"],
          summary: "Complete a login with a one-time recovery code instead of the app's code",
          security,
          body: z.object({ code: z.string().trim().min(8).max(40) }),
          response: { 200: SessionDtoSchema, ...errors },
        },
      },
      async (request) => {
        const user = userOf(request);
        await verifySessionWithRecoveryCode(
          deps.db,
          { userId: user.id, sessionId: request.authSession!.id, code: request.body.code, ip: request.ip },
          clock(),
        );
        const token = sessionTokenOf(request);
        const session = token ? await findSession(deps.db, token, clock()) : null;
        if (!session) throw new AppError("unauthenticated", "Please sign in.");
        return sessionDto(deps, session);
      },
    );

    app.post(
      "/api/admin/users/:id/totp/reset",
      {
        preHandler: [app.authenticate, requireRole("admin")],
        schema: {
          tags: ["admin"],
          summary: "Turn a user's two-factor authentication off (lost phone); their sessions end",
          security,
          params: z.object({ id: z.string() }),
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        if (!isUuid(request.params.id)) throw new AppError("not_found", "User not found.");
        await resetUserTotp(deps.db, { userId: userOf(request).id, ip: request.ip, targetUserId: request.params.id });
        return reply.status(204).send(null);
      },
    );
  };
}
