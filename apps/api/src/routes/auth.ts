import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  ApiErrorSchema,
  ChangePasswordBodySchema,
  LoginBodySchema,
  SessionDtoSchema,
  TotpCodeBodySchema,
  TotpDisableBodySchema,
  TotpEnrollmentSchema,
  type SessionDto,
} from "@inbox/contracts";
import {
  AppError,
  beginTotpEnrollment,
  changeOwnPassword,
  confirmTotpEnrollment,
  disableTotp,
  findSession,
  isTotpRequired,
  logIn,
  logOut,
  verifySessionTotp,
  type ActiveSession,
} from "@inbox/core";
import type { ApiDeps } from "../deps";
import { clearSessionCookie, sessionTokenOf, setSessionCookie, userOf } from "../plugins/auth";

/** Login attempts per IP and minute (the per-account lockout is in core's logIn). */
export const LOGIN_RATE_LIMIT = 20;

const errors = {
  400: ApiErrorSchema,
  401: ApiErrorSchema,
  403: ApiErrorSchema,
  409: ApiErrorSchema,
  429: ApiErrorSchema,
};
const unverified = { allowUnverifiedSession: true };

export async function sessionDto(deps: ApiDeps, session: ActiveSession): Promise<SessionDto> {
  const enrollment = !session.isVerified && !session.user.totpEnabled && (await isTotpRequired(deps.db));
  return {
    user: session.user,
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt.toISOString(),
    totpRequired: !session.isVerified && session.user.totpEnabled,
    totpEnrollmentRequired: enrollment,
  };
}

export function authRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const clock = deps.clock ?? (() => new Date());
    const current = async (token: string | null) => {
      const session = token ? await findSession(deps.db, token, clock()) : null;
      if (!session) throw new AppError("unauthenticated", "Please sign in.");
      return session;
    };

    app.post(
      "/api/auth/login",
      {
        config: { rateLimit: { max: LOGIN_RATE_LIMIT, timeWindow: "1 minute" } },
        schema: {
          tags: ["auth"],
          summary: "Sign in with e-mail and password; sets the session cookie",
          body: LoginBodySchema,
          response: { 200: SessionDtoSchema, ...errors },
        },
      },
      async (request, reply) => {
        const result = await logIn(
          deps.db,
          {
            email: request.body.email,
            password: request.body.password,
            ip: request.ip,
            ...(request.headers["user-agent"] ? { userAgent: request.headers["user-agent"] } : {}),
          },
          clock(),
        );
        setSessionCookie(deps, reply, result.token);
        return sessionDto(deps, await current(result.token));
      },
    );

    app.post(
      "/api/auth/logout",
      {
        preHandler: app.authenticate,
        config: unverified,
        schema: {
          tags: ["auth"],
          summary: "Sign out (ends the session)",
          security: [{ session: [] }],
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        const user = userOf(request);
        await logOut(deps.db, request.authSession!.id, user.id, request.ip);
        clearSessionCookie(reply);
        return reply.status(204).send(null);
      },
    );

    app.get(
      "/api/auth/me",
      {
        preHandler: app.authenticate,
        config: unverified,
        schema: {
          tags: ["auth"],
          summary: "The signed-in user and the CSRF token",
          security: [{ session: [] }],
          response: { 200: SessionDtoSchema, ...errors },
        },
      },
      async (request) => sessionDto(deps, await current(sessionTokenOf(request))),
    );

    app.post(
      "/api/auth/totp",
      {
        preHandler: app.authenticate,
        config: { ...unverified, rateLimit: { max: LOGIN_RATE_LIMIT, timeWindow: "1 minute" } },
        schema: {
          tags: ["auth"],
          summary: "Complete a login with the TOTP code",
          security: [{ session: [] }],
          body: TotpCodeBodySchema,
          response: { 200: SessionDtoSchema, ...errors },
        },
      },
      async (request) => {
        const user = userOf(request);
        await verifySessionTotp(
          deps.db,
          { userId: user.id, sessionId: request.authSession!.id, code: request.body.code, ip: request.ip },
          clock(),
        );
        return sessionDto(deps, await current(sessionTokenOf(request)));
      },
    );

    app.post(
      "/api/auth/totp/enroll",
      {
        preHandler: app.authenticate,
        config: unverified,
        schema: {
          tags: ["auth"],
          summary: "Start TOTP enrolment: a new secret and its otpauth URI",
          security: [{ session: [] }],
          response: { 200: TotpEnrollmentSchema, ...errors },
        },
      },
      async (request) => {
        const user = userOf(request);
        if (user.totpEnabled) throw new AppError("conflict", "Two-factor authentication is already enabled.");
        // An unverified session may only enrol when it is unverified for lack of enrolment.
        return beginTotpEnrollment(deps.db, user.id);
      },
    );

    app.post(
      "/api/auth/totp/confirm",
      {
        preHandler: app.authenticate,
        config: unverified,
        schema: {
          tags: ["auth"],
          summary: "Finish TOTP enrolment with a code from the app",
          security: [{ session: [] }],
          body: TotpCodeBodySchema,
          response: { 200: SessionDtoSchema, ...errors },
        },
      },
      async (request) => {
        const user = userOf(request);
        await confirmTotpEnrollment(
          deps.db,
          { userId: user.id, sessionId: request.authSession!.id, code: request.body.code, ip: request.ip },
          clock(),
        );
        return sessionDto(deps, await current(sessionTokenOf(request)));
      },
    );

    app.post(
      "/api/auth/password",
      {
        preHandler: app.authenticate,
        config: { allowPendingPasswordChange: true, rateLimit: { max: LOGIN_RATE_LIMIT, timeWindow: "1 minute" } },
        schema: {
          tags: ["auth"],
          summary: "Set a new password (current one required); other sessions of the user end",
          security: [{ session: [] }],
          body: ChangePasswordBodySchema,
          response: { 200: SessionDtoSchema, ...errors },
        },
      },
      async (request) => {
        const user = userOf(request);
        const sessionId = request.authSession!.id;
        await changeOwnPassword(deps.db, {
          userId: user.id,
          sessionId,
          currentPassword: request.body.currentPassword,
          newPassword: request.body.newPassword,
          ip: request.ip,
        });
        return sessionDto(deps, await current(sessionTokenOf(request)));
      },
    );

    app.post(
      "/api/auth/totp/disable",
      {
        preHandler: app.authenticate,
        schema: {
          tags: ["auth"],
          summary: "Turn TOTP off (password required; refused when admins require TOTP)",
          security: [{ session: [] }],
          body: TotpDisableBodySchema,
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        const user = userOf(request);
        await disableTotp(deps.db, { userId: user.id, password: request.body.password, ip: request.ip });
        return reply.status(204).send(null);
      },
    );
  };
}
