import type { Db } from "@inbox/db";
import { AppError } from "../errors/app-error";
import { recordAudit } from "../audit/record-audit";
import { hashPassword, verifyPassword } from "../users/password";
import { isTotpRequired } from "./read-security-settings";
import {
  hashSessionToken,
  LOCKOUT_MS,
  MAX_FAILED_LOGINS,
  newCsrfToken,
  newSessionToken,
  PENDING_SESSION_TTL_MS,
  SESSION_TTL_MS,
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

/** A hash for unknown e-mails, so a miss costs as much time as a wrong password (no user enumeration by timing). */
let dummyHash: Promise<string> | undefined;
const getDummyHash = () => (dummyHash ??= hashPassword("not-a-real-password-0000"));

const invalid = () => new AppError("invalid_credentials", "E-mail or password is wrong.");

/**
 * Checks e-mail and password and opens a session. Wrong passwords count per account; after MAX_FAILED_LOGINS the
 * account is locked for LOCKOUT_MS (answering the same generic error, so the lock does not reveal the account).
 */
export async function logIn(db: Db, input: LogInInput, now = new Date()): Promise<LogInResult> {
  const email = input.email.trim().toLowerCase();
  const user = await db.user.findUnique({ where: { email } });
  if (!user || !user.isActive) {
    await verifyPassword(await getDummyHash(), input.password);
    throw invalid();
  }
  if (user.lockedUntil && user.lockedUntil > now) {
    await recordAudit(
      db,
      { type: "user", userId: user.id, ...(input.ip ? { ip: input.ip } : {}) },
      "auth.login_locked",
      "user",
      user.id,
    );
    throw new AppError("account_locked", "Too many failed attempts. Try again later.");
  }
  const ok = await verifyPassword(user.passwordHash, input.password);
  const actor = { type: "user" as const, userId: user.id, ...(input.ip ? { ip: input.ip } : {}) };
  if (!ok) {
    const updated = await db.user.update({
      where: { id: user.id },
      data: { failedLoginCount: { increment: 1 } },
      select: { failedLoginCount: true },
    });
    if (updated.failedLoginCount >= MAX_FAILED_LOGINS) {
      await db.user.update({
        where: { id: user.id },
        data: { lockedUntil: new Date(now.getTime() + LOCKOUT_MS), failedLoginCount: 0 },
      });
      await recordAudit(db, actor, "auth.account_locked", "user", user.id);
    } else {
      await recordAudit(db, actor, "auth.login_failed", "user", user.id);
    }
    throw invalid();
  }

  const totpRequired = user.totpEnabledAt !== null;
  const totpEnrollmentRequired = !totpRequired && (await isTotpRequired(db));
  const verified = !totpRequired && !totpEnrollmentRequired;
  const token = newSessionToken();
  const csrfToken = newCsrfToken();
  const expiresAt = new Date(now.getTime() + (verified ? SESSION_TTL_MS : PENDING_SESSION_TTL_MS));
  await db.$transaction(async (tx) => {
    await tx.user.update({
      where: { id: user.id },
      data: { failedLoginCount: 0, lockedUntil: null, ...(verified ? { lastLoginAt: now } : {}) },
    });
    await tx.session.create({
      data: {
        userId: user.id,
        tokenHash: hashSessionToken(token),
        csrfToken,
        isVerified: verified,
        expiresAt,
        lastSeenAt: now,
        ip: input.ip ?? null,
        userAgent: input.userAgent?.slice(0, 300) ?? null,
      },
    });
    await recordAudit(tx, actor, verified ? "auth.login" : "auth.login_pending_totp", "user", user.id);
  });
  return { token, csrfToken, expiresAt, totpRequired, totpEnrollmentRequired, userId: user.id };
}
