import { createHash, randomBytes } from "node:crypto";

/** Opaque session token for the cookie; only its sha256 is stored (a database leak yields no usable sessions). */
export function newSessionToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function newCsrfToken(): string {
  return randomBytes(24).toString("base64url");
}

/** How long sessions live (SESSION_IDLE_TIMEOUT, SESSION_MAX_AGE). */
export interface SessionPolicy {
  /** A verified session ends after this long without a request (sliding). */
  idleMs: number;
  /** …and this long after its sign-in, however active (absolute). */
  maxAgeMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMs: 12 * 60 * 60 * 1000, maxAgeMs: 7 * 24 * 60 * 60 * 1000 };

/** The policy from parsed settings (packages/config). */
export function sessionPolicyOf(env: { SESSION_IDLE_TIMEOUT: number; SESSION_MAX_AGE: number }): SessionPolicy {
  return { idleMs: env.SESSION_IDLE_TIMEOUT, maxAgeMs: env.SESSION_MAX_AGE };
}

/** When a verified session used at `now` expires: idle timeout, but never after its absolute end. */
export function verifiedExpiry(policy: SessionPolicy, createdAt: Date, now: Date): Date {
  return new Date(Math.min(now.getTime() + policy.idleMs, createdAt.getTime() + policy.maxAgeMs));
}

/** A session waiting for its TOTP code (or for enrolment) lives briefly. */
export const PENDING_SESSION_TTL_MS = 10 * 60 * 1000;
/** lastSeenAt/expiresAt are written at most this often per session. */
export const SESSION_TOUCH_INTERVAL_MS = 60 * 1000;
/** Wrong TOTP codes or passwords one session may send before it ends. */
export const MAX_SESSION_FAILED_CHECKS = 5;
