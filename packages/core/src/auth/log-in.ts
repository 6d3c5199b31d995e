import type { Db } from "@inbox/db";
import { AppError } from "../errors/app-error";
import { recordAudit } from "../audit/record-audit";
import { hashPassword, needsRehash, verifyPassword } from "../users/password";
import { isTotpRequired } from "./read-security-settings";
import { clearLoginThrottle, reserveLoginAttempt, throttleSource } from "./login-throttle";
import {
  DEFAULT_SESSION_POLICY,
  hashSessionToken,
  newCsrfToken,
  newSessionToken,
  PENDING_SESSION_TTL_MS,
  verifiedExpiry,
  type SessionPolicy,
} from "./session-token";

export interface LogInInput {
  email: string;
  password: string;
  ip?: string;
  userAgent?: string;
}

export interface LogInResult {
  token: string;
  csrfToken: string;
  expiresAt: Date;
  /** The user has TOTP enabled: the session is unverified until POST /api/auth/totp. */
  totpRequired: boolean;
  /** Admins made TOTP mandatory and this user has none yet: the session may only enrol. */
  totpEnrollmentRequired: boolean;
  userId: string;
}

/** A hash for unknown e-mails and waiting sources, so every refusal costs one argon2 verification (no timing tell). */
let dummyHash: Promise<string> | undefined;
const getDummyHash = () => (dummyHash ??= hashPassword("not-a-real-password-0000"));

/** The one refusal for a wrong password, an unknown or deactivated account, and a source that must wait. */
const INVALID_LOGIN_MESSAGE =
  "E-mail or password is wrong. After several failed attempts, sign-in from your network pauses for a few minutes.";
const invalid = () => new AppError("invalid_credentials", INVALID_LOGIN_MESSAGE);

/**
 * Checks e-mail and password and opens a session. Every attempt counts against (e-mail, source) before the
 * password is checked (login-throttle.ts); a source that keeps failing waits longer and longer, but only that source:
 * nobody can lock an account for its owner. Unknown, deactivated, wrong and waiting all answer the same 401 after the
 * same argon2 work. A hash below today's parameters is replaced after a right password.
 */
export async function logIn(
  db: Db,
  input: LogInInput,
  options: { now?: Date; policy?: SessionPolicy } = {},
): Promise<LogInResult> {
  const now = options.now ?? new Date();
  const policy = options.policy ?? DEFAULT_SESSION_POLICY;
  const email = input.email.trim().toLowerCase();
  const source = throttleSource(input.ip);
  const mayTry = await reserveLoginAttempt(db, email, source, now);
  const user = await db.user.findUnique({ where: { email } });
  const actor = user ? { type: "user" as const, userId: user.id, ...(input.ip ? { ip: input.ip } : {}) } : null;
  if (!mayTry || !user || !user.isActive) {
    await verifyPassword(await getDummyHash(), input.password);
    if (actor) await recordAudit(db, actor, mayTry ? "auth.login_failed" : "auth.login_throttled", "user", user!.id);
    throw invalid();
  }
  if (!(await verifyPassword(user.passwordHash, input.password))) {
    await recordAudit(db, actor!, "auth.login_failed", "user", user.id);
    throw invalid();
  }

  const rehashed = needsRehash(user.passwordHash) ? await hashPassword(input.password) : null;
  const totpRequired = user.totpEnabledAt !== null;
  const totpEnrollmentRequired = !totpRequired && (await isTotpRequired(db));
  const verified = !totpRequired && !totpEnrollmentRequired;
  const token = newSessionToken();
  const csrfToken = newCsrfToken();
  const expiresAt = verified ? verifiedExpiry(policy, now, now) : new Date(now.getTime() + PENDING_SESSION_TTL_MS);
  await db.$transaction(async (tx) => {
    await clearLoginThrottle(tx, email, source);
    if (verified || rehashed) {
      await tx.user.update({
        where: { id: user.id },
        data: { ...(verified ? { lastLoginAt: now } : {}), ...(rehashed ? { passwordHash: rehashed } : {}) },
      });
    }
    await tx.session.create({
      data: {
        userId: user.id,
        tokenHash: hashSessionToken(token),
        csrfToken,
        isVerified: verified,
        expiresAt,
        lastSeenAt: now,
        createdAt: now,
        ip: input.ip ?? null,
        userAgent: input.userAgent?.slice(0, 300) ?? null,
      },
    });
    await recordAudit(tx, actor!, verified ? "auth.login" : "auth.login_pending_totp", "user", user.id);
  });
  return { token, csrfToken, expiresAt, totpRequired, totpEnrollmentRequired, userId: user.id };
}
