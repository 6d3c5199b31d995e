import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from "fastify";
import fastifyRateLimit from "@fastify/rate-limit";
import { CSRF_HEADER, SESSION_COOKIE } from "@inbox/contracts";
import { AppError, findSession, type SessionUser } from "@inbox/core";
import type { ApiDeps, App } from "../types";

interface AuthSession {
  id: string;
  csrfToken: string;
  isVerified: boolean;
  expiresAt: Date;
}

declare module "fastify" {
  interface FastifyRequest {
    /** Set by `app.authenticate`: the signed-in user (null before authentication). */
    user: SessionUser | null;
    authSession: AuthSession | null;
  }
  interface FastifyInstance {
    /** preHandler: 401 without a valid (verified) session; 403 csrf_failed for a mutation without the CSRF header. */
    authenticate: preHandlerAsyncHookHandler;
  }
  interface FastifyContextConfig {
    /** Routes a session still waiting for its second factor may use (TOTP, me, logout). */
    allowUnverifiedSession?: boolean;
    /** Routes a (verified) session may use while its user must still replace an admin-set password. */
    allowPendingPasswordChange?: boolean;
  }
}

const MUTATIONS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The raw session token from the signed cookie, or null. */
export function sessionTokenOf(request: FastifyRequest): string | null {
  const raw = request.cookies[SESSION_COOKIE];
  if (!raw) return null;
  const unsigned = request.unsignCookie(raw);
  return unsigned.valid && unsigned.value ? unsigned.value : null;
}

export function setSessionCookie(deps: ApiDeps, reply: FastifyReply, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    signed: true,
    httpOnly: true,
    sameSite: "lax",
    secure: deps.env.PUBLIC_URL.startsWith("https:"),
    path: "/",
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: "/" });
}

/** preHandler allowing only the given roles (after `app.authenticate`); 403 forbidden otherwise. */
export function requireRole(...roles: SessionUser["role"][]): preHandlerAsyncHookHandler {
  return async (request) => {
    if (!request.user) throw new AppError("unauthenticated", "Please sign in.");
    if (!roles.includes(request.user.role)) throw new AppError("forbidden", "Your role may not do this.");
  };
}

/** The signed-in user or 401 (for handlers behind `app.authenticate`). */
export function userOf(request: FastifyRequest): SessionUser {
  if (!request.user) throw new AppError("unauthenticated", "Please sign in.");
  return request.user;
}

/**
 * Server-side sessions: an opaque random token in the signed httpOnly SameSite=Lax cookie `inbox_session`, only its
 * sha256 in Session.tokenHash. CSRF: double submit of the session's csrfToken in `x-csrf-token` on mutations.
 * Registered on the root instance before the routes (decorators must be visible to every route plugin).
 */
export async function registerAuth(app: App, deps: ApiDeps): Promise<void> {
  app.decorateRequest("user", null);
  app.decorateRequest("authSession", null);
  await app.register(fastifyRateLimit, {
    global: false,
    redis: deps.redis,
    nameSpace: `${deps.queues.prefix}:rl:`,
    skipOnError: true,
  });

  const authenticate: preHandlerAsyncHookHandler = async function (request) {
    const token = sessionTokenOf(request);
    const session = token ? await findSession(deps.db, token, deps.clock()) : null;
    if (!session) throw new AppError("unauthenticated", "Please sign in.");
    if (!session.isVerified && !request.routeOptions.config.allowUnverifiedSession) {
      throw new AppError("totp_required", "Enter your two-factor code first.");
    }
    if (
      session.user.mustChangePassword &&
      !request.routeOptions.config.allowUnverifiedSession &&
      !request.routeOptions.config.allowPendingPasswordChange
    ) {
      throw new AppError("password_change_required", "Set a new password first.");
    }
    if (MUTATIONS.has(request.method)) {
      const header = request.headers[CSRF_HEADER];
      if (typeof header !== "string" || !timingSafeEqualString(header, session.csrfToken)) {
        throw new AppError("csrf_failed", "Missing or wrong CSRF token.");
      }
    }
    request.user = session.user;
    request.authSession = {
      id: session.id,
      csrfToken: session.csrfToken,
      isVerified: session.isVerified,
      expiresAt: session.expiresAt,
    };
  };
  app.decorate("authenticate", authenticate);
}

function timingSafeEqualString(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
