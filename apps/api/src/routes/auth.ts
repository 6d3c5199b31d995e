import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  ApiErrorSchema,
  ChangePasswordBodySchema,
  LoginBodySchema,
  PasswordConfirmBodySchema,
  RecoveryCodesSchema,
  RecoveryCodesStatusSchema,
  SessionDtoSchema,
  TotpCodeBodySchema,
  TotpConfirmationSchema,
  TotpEnrollBodySchema,
  TotpEnrollmentSchema,
  type SessionDto,
} from "@inbox/contracts";
import {
  AppError,
  beginTotpEnrollment,
  changeOwnPassword,
  confirmTotpEnrollment,
  countRecoveryCodes,
  disableTotp,
  findSession,
  isTotpRequired,
  logIn,
  logOut,
  regenerateRecoveryCodes,
  verifySessionTotp,
  type ActiveSession,
  type RotatedSession,
} from "@inbox/core";
import type { ApiDeps } from "../types";
import { clearSessionCookie, setSessionCookie, userOf } from "../plugins/auth";

/** Sign-ins, codes and password re-checks per IP and minute (on top of the per-account and per-session counts). */
const LOGIN_RATE_LIMIT = 20;
const rateLimit = { max: LOGIN_RATE_LIMIT, timeWindow: "1 minute" };

const errors = {
  400: ApiErrorSchema,
  401: ApiErrorSchema,
  403: ApiErrorSchema,
  409: ApiErrorSchema,
  429: ApiErrorSchema,
};
const unverified = { allowUnverifiedSession: true };
const security = [{ session: [] }];

async function sessionDto(deps: ApiDeps, session: ActiveSession): Promise<SessionDto> {
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
    const { clock, sessionPolicy: policy } = deps;
    const totpDeps = { db: deps.db, secrets: deps.secrets, clock, policy };
    const current = async (token: string | null) => {
      const session = token ? await findSession(deps.sql, token, { now: clock(), policy }) : null;
      if (!session) throw new AppError("unauthenticated", "Please sign in.");
      return session;
    };
    /** The session's new cookie after a privilege change, and its DTO. */
    const rotated = async (reply: FastifyReply, next: RotatedSession) => {
      setSessionCookie(deps, reply, next.token);
      return sessionDto(deps, await current(next.token));
    };
    const sessionOf = (request: FastifyRequest) => ({
      userId: userOf(request).id,
      sessionId: request.authSession!.id,
      ip: request.ip,
    });

    app.post(
      "/api/auth/login",
      {
        config: { rateLimit },
        schema: {
          tags: ["auth"],
          summary: "Sign in with e-mail and password; sets the session cookie",
          description:
            "Wrong password, unknown account and a source that must wait after repeated failures all answer the same 401.",
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
          { now: clock(), policy },
        );
        setSessionCookie(deps, reply, result.token);
        return sessionDto(deps, await current(result.token));
      },
    );

    app.post(
      "/api/auth/logout",
      {
        onRequest: app.authenticate,
        config: unverified,
        schema: {
          tags: ["auth"],
          summary: "Sign out (ends the session)",
          security,
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
        onRequest: app.authenticate,
        config: unverified,
        schema: {
          tags: ["auth"],
          summary: "The signed-in user and the CSRF token",
          security,
          response: { 200: SessionDtoSchema, ...errors },
        },
      },
      // The session app.authenticate found for this request (read once per request, not again here).
      async (request) => sessionDto(deps, { ...request.authSession!, user: userOf(request) }),
    );

    app.post(
      "/api/auth/totp",
      {
        onRequest: app.authenticate,
        config: { ...unverified, rateLimit },
        schema: {
          tags: ["auth"],
          summary: "Complete a sign-in with the TOTP code (or a recovery code); the session gets a new cookie",
          description:
            "Five wrong codes end the pending session (401, sign in again); ten wrong codes for one account make its " +
            "second factor wait (429 account_locked). A code is accepted once.",
          security,
          body: TotpCodeBodySchema,
          response: { 200: SessionDtoSchema, ...errors },
        },
      },
      async (request, reply) =>
        rotated(reply, await verifySessionTotp(totpDeps, { ...sessionOf(request), code: request.body.code })),
    );

    app.post(
      "/api/auth/totp/enroll",
      {
        onRequest: app.authenticate,
        config: { ...unverified, rateLimit },
        schema: {
          tags: ["auth"],
          summary: "Start TOTP enrolment: a new secret, its otpauth URI and a QR code",
          description: "A signed-in session confirms with `password`; the sign-in that must enrol first needs none.",
          security,
          body: TotpEnrollBodySchema,
          response: { 200: TotpEnrollmentSchema, ...errors },
        },
      },
      async (request) => {
        if (userOf(request).totpEnabled)
          throw new AppError("conflict", "Two-factor authentication is already enabled.");
        return beginTotpEnrollment(totpDeps, {
          ...sessionOf(request),
          isSessionVerified: request.authSession!.isVerified,
          password: request.body?.password,
        });
      },
    );

    app.post(
      "/api/auth/totp/confirm",
      {
        onRequest: app.authenticate,
        config: { ...unverified, rateLimit },
        schema: {
          tags: ["auth"],
          summary: "Finish TOTP enrolment with a code from the app; answers the recovery codes once",
          security,
          body: TotpCodeBodySchema,
          response: { 200: TotpConfirmationSchema, ...errors },
        },
      },
      async (request, reply) => {
        const result = await confirmTotpEnrollment(totpDeps, { ...sessionOf(request), code: request.body.code });
        return { ...(await rotated(reply, result)), recoveryCodes: result.recoveryCodes };
      },
    );

    app.get(
      "/api/auth/totp/recovery-codes",
      {
        onRequest: app.authenticate,
        schema: {
          tags: ["auth"],
          summary: "How many unused recovery codes the user has left",
          security,
          response: { 200: RecoveryCodesStatusSchema, ...errors },
        },
      },
      async (request) => ({ remaining: await countRecoveryCodes(deps.db, userOf(request).id) }),
    );

    app.post(
      "/api/auth/totp/recovery-codes",
      {
        onRequest: app.authenticate,
        config: { rateLimit },
        schema: {
          tags: ["auth"],
          summary: "New recovery codes (password required); the old ones stop working",
          security,
          body: PasswordConfirmBodySchema,
          response: { 200: RecoveryCodesSchema, ...errors },
        },
      },
      async (request) => ({
        recoveryCodes: await regenerateRecoveryCodes(totpDeps, {
          ...sessionOf(request),
          password: request.body.password,
        }),
      }),
    );

    app.post(
      "/api/auth/password",
      {
        onRequest: app.authenticate,
        config: { allowPendingPasswordChange: true, rateLimit },
        schema: {
          tags: ["auth"],
          summary: "Set a new password (current one required); other sessions end, this one gets a new cookie",
          security,
          body: ChangePasswordBodySchema,
          response: { 200: SessionDtoSchema, ...errors },
        },
      },
      async (request, reply) =>
        rotated(
          reply,
          await changeOwnPassword(
            deps.db,
            {
              ...sessionOf(request),
              currentPassword: request.body.currentPassword,
              newPassword: request.body.newPassword,
            },
            { now: clock(), policy },
          ),
        ),
    );

    app.post(
      "/api/auth/totp/disable",
      {
        onRequest: app.authenticate,
        config: { rateLimit },
        schema: {
          tags: ["auth"],
          summary: "Turn TOTP off (password required; refused when admins require TOTP)",
          security,
          body: PasswordConfirmBodySchema,
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        await disableTotp(totpDeps, { ...sessionOf(request), password: request.body.password });
        return reply.status(204).send(null);
      },
    );
  };
}
