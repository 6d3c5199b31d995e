import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from "fastify";
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
    /**
     * onRequest hook (before the body is read): 401 without a valid (verified) session; 403 csrf_failed for a
     * mutation without the CSRF header. Use it as `onRequest: app.authenticate`, never as a preHandler.
     */
    authenticate: onRequestAsyncHookHandler;
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

/** onRequest hook allowing only the given roles (after `app.authenticate`); 403 forbidden otherwise. */
export function requireRole(...roles: SessionUser["role"][]): onRequestAsyncHookHandler {
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
 * Authentication runs as an onRequest hook, before a body (up to 4 MB) is read or parsed: anonymous requests cost
 * nothing but the cookie check. Registered on the root instance before the routes (decorators and the route guard
 * must be visible to every route plugin).
 */
export async function registerAuth(app: App, deps: ApiDeps): Promise<void> {
  app.decorateRequest("user", null);
  app.decorateRequest("authSession", null);
  // Per-IP caps in Redis. While Redis is down they are skipped after at most a second (fail open, logged): the
  // limits that protect accounts — per (account, source) sign-in waits, per-session and per-account second-factor
  // tries — live in Postgres and hold regardless; refusing every sign-in during a Redis outage would lock everyone
  // out. A connection of its own with a command timeout: the shared one queues commands until Redis is back, which
  // would hang sign-ins instead. See docs/security.md.
  const limiterRedis = deps.redis.duplicate({ commandTimeout: 1_000 });
  let isLimiterDown = false;
  limiterRedis.on("error", (err) => {
    if (!isLimiterDown) deps.log.warn({ err }, "rate limits skipped: Redis unreachable (Postgres sign-in limits hold)");
    isLimiterDown = true;
  });
  limiterRedis.on("ready", () => (isLimiterDown = false));
  app.addHook("onClose", async () => limiterRedis.disconnect());
  await app.register(fastifyRateLimit, {
    global: false,
    redis: limiterRedis,
    nameSpace: `${deps.queues.prefix}:rl:`,
    skipOnError: true,
    ipv6Subnet: 64,
  });

  const authenticate: onRequestAsyncHookHandler = async function (request) {
    const token = sessionTokenOf(request);
    const session = token
      ? await findSession(deps.sql, token, { now: deps.clock(), policy: deps.sessionPolicy })
      : null;
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
  // As a preHandler it would run after the body was read and parsed: refuse such a route at start-up.
  app.addHook("onRoute", (route) => {
    if ([route.preHandler ?? []].flat().includes(authenticate)) {
      throw new Error(
        `${String(route.method)} ${route.url}: use onRequest: app.authenticate (before the body is read).`,
      );
    }
  });
}

function timingSafeEqualString(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
