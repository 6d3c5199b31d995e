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

/** Sliding idle timeout of a verified session. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** A session waiting for its TOTP code (or for enrolment) lives briefly. */
export const PENDING_SESSION_TTL_MS = 10 * 60 * 1000;
/** lastSeenAt/expiresAt are written at most this often per session. */
export const SESSION_TOUCH_INTERVAL_MS = 60 * 1000;
/** Failed passwords before the account locks, and for how long. */
export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;
