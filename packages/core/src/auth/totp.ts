import { createHash, randomInt } from "node:crypto";
import { Prisma, sqlTimestamp, type Db } from "@inbox/db";
import { generateSecret, generateURI, verify } from "otplib";
import QRCode from "qrcode";
import { AppError } from "../errors/app-error";
import { recordAudit, type Actor } from "../audit/record-audit";
import { verifyPassword } from "../users/password";
import type { SecretBox } from "../secrets/secret-box";
import { totpSecretContext } from "../secrets/encrypt-stored-secrets";
import { isUuid } from "../shared/ids";
import { isTotpRequired } from "./read-security-settings";
import { clearSessionChecks, reserveSessionCheck, rotateSession, type RotatedSession } from "./session-checks";
import { DEFAULT_SESSION_POLICY, type SessionPolicy } from "./session-token";

const ISSUER = "WhatsApp Inbox";
/** Wrong codes for one account (over all its sessions) before its second factor waits; then 1 min doubling to 1 h. */
export const TOTP_FREE_FAILURES = 10;
const TOTP_FIRST_LOCK_S = 60;
const TOTP_MAX_LOCK_S = 60 * 60;
const RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

export interface TotpDeps {
  db: Db;
  secrets: SecretBox;
  clock?: () => Date;
  policy?: SessionPolicy;
}

interface SessionInput {
  userId: string;
  sessionId: string;
  ip?: string | undefined;
}

const userActor = (input: { userId: string; ip?: string | undefined }): Actor => ({
  type: "user",
  userId: input.userId,
  ...(input.ip ? { ip: input.ip } : {}),
});
const invalidCode = () => new AppError("invalid_credentials", "The code is not valid.");

/** The time step of the code when it is right and newer than `afterStep` (one step of clock drift either way). */
async function matchingStep(secret: string, code: string, now: Date, afterStep: number | null): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  try {
    const result = await verify({
      secret,
      token: code,
      epoch: Math.floor(now.getTime() / 1000),
      epochTolerance: 30,
      ...(afterStep !== null ? { afterTimeStep: afterStep } : {}),
    });
    return result.valid && "timeStep" in result ? result.timeStep : null;
  } catch {
    return null;
  }
}

const hashRecoveryCode = (code: string) =>
  createHash("sha256")
    .update(code.toLowerCase().replace(/[^a-z0-9]/g, ""))
    .digest("hex");

function newRecoveryCode(): string {
  const pick = () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
  const part = () => Array.from({ length: 5 }, pick).join("");
  return `${part()}-${part()}`;
}

/** Replaces the user's recovery codes with fresh ones; only their hashes are stored. */
async function issueRecoveryCodes(db: Prisma.TransactionClient, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await db.totpRecoveryCode.deleteMany({ where: { userId } });
  await db.totpRecoveryCode.createMany({ data: codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code) })) });
  return codes;
}

/**
 * Counts one second-factor try against the account BEFORE it is checked (atomic, like the session's tries): after
 * TOTP_FREE_FAILURES wrong codes since the last right one, each further try waits (1 min, doubling to 1 h). A
 * password-only sign-in does not reset this count; only a right code does.
 */
async function reserveAccountTry(db: Db, userId: string, now: Date): Promise<void> {
  const at = sqlTimestamp(now);
  const rows = await db.$queryRaw<{ totpFailedCount: number }[]>(Prisma.sql`
    UPDATE "User" SET
      "totpFailedCount" = "totpFailedCount" + 1,
      "totpLockedUntil" = CASE WHEN "totpFailedCount" + 1 >= ${TOTP_FREE_FAILURES}
        THEN ${at} + make_interval(secs => LEAST(
          ${TOTP_FIRST_LOCK_S}::float8 * power(2, "totpFailedCount" + 1 - ${TOTP_FREE_FAILURES}),
          ${TOTP_MAX_LOCK_S}::float8))
        ELSE NULL END
    WHERE id = ${userId}::uuid AND ("totpLockedUntil" IS NULL OR "totpLockedUntil" <= ${at})
    RETURNING "totpFailedCount"`);
  if (rows.length === 0) {
    throw new AppError("account_locked", "Too many wrong codes for this account. Try again in a few minutes.");
  }
}

/**
 * Checks a code (6 digits from the app, or a recovery code) after the session's and the account's try were taken.
 * A right app code is accepted once: its time step is stored atomically, so a replay (same code, any session) fails.
 */
async function checkSecondFactor(deps: TotpDeps, input: SessionInput & { code: string }, now: Date): Promise<boolean> {
  const user = await deps.db.user.findUniqueOrThrow({ where: { id: input.userId } });
  if (!user.totpSecret) return false;
  const code = input.code.trim();
  if (/^\d{6}$/.test(code)) {
    const secret = deps.secrets.decrypt(user.totpSecret, totpSecretContext(user.id));
    const step = await matchingStep(secret, code, now, user.totpLastStep);
    if (step === null) return false;
    const { count } = await deps.db.user.updateMany({
      where: { id: user.id, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
      data: { totpLastStep: step },
    });
    return count === 1;
  }
  const { count } = await deps.db.totpRecoveryCode.updateMany({
    where: { userId: user.id, codeHash: hashRecoveryCode(code), usedAt: null },
    data: { usedAt: now },
  });
  if (count === 1) {
    await recordAudit(deps.db, userActor(input), "auth.totp_recovery_code_used", "user", user.id);
  }
  return count === 1;
}

/**
 * Starts enrolment: stores a fresh (not yet enabled) secret, encrypted, and returns it with its URI and QR code.
 * Idempotent per session: while this session's enrolment is pending, a repeated call (double click, React StrictMode
 * running an effect twice, parallel requests) answers the same secret instead of replacing it, so whichever answer the
 * screen shows is the one the app must confirm. The claim is one conditional UPDATE, so parallel calls cannot both
 * write. An enrolment started from another session is replaced (that session's secret stops working).
 */
export async function beginTotpEnrollment(
  deps: TotpDeps,
  input: SessionInput & { isSessionVerified: boolean; password?: string | undefined },
): Promise<{ secret: string; otpauthUri: string; qrCodeDataUrl: string }> {
  const user = await deps.db.user.findUniqueOrThrow({ where: { id: input.userId } });
  if (user.totpEnabledAt) throw new AppError("conflict", "Two-factor authentication is already enabled.");
  // A signed-in session (not the sign-in that must enrol right now) proves who it is again: a stolen cookie
  // must not bind the thief's authenticator.
  if (input.isSessionVerified) await recheckPassword(deps, input, input.password);
  const candidate = generateSecret();
  const { count } = await deps.db.user.updateMany({
    where: {
      id: user.id,
      totpEnabledAt: null,
      OR: [{ totpSecret: null }, { totpPendingSessionId: null }, { totpPendingSessionId: { not: input.sessionId } }],
    },
    data: {
      totpSecret: deps.secrets.encrypt(candidate, totpSecretContext(user.id)),
      totpPendingSessionId: input.sessionId,
      totpLastStep: null,
    },
  });
  let secret = candidate;
  if (count === 0) {
    // Enabled meanwhile, or this session's enrolment is pending already: answer its secret.
    const current = await deps.db.user.findUniqueOrThrow({ where: { id: user.id } });
    if (current.totpEnabledAt || !current.totpSecret)
      throw new AppError("conflict", "Two-factor authentication is already enabled.");
    secret = deps.secrets.decrypt(current.totpSecret, totpSecretContext(user.id));
  }
  const otpauthUri = generateURI({ issuer: ISSUER, label: user.email, secret });
  return { secret, otpauthUri, qrCodeDataUrl: await QRCode.toDataURL(otpauthUri, { margin: 1, width: 240 }) };
}

/**
 * Confirms enrolment with a code from the app: enables TOTP, issues recovery codes (shown once), verifies the session
 * under a new token and ends the user's other sessions (they were opened without the second factor).
 */
export async function confirmTotpEnrollment(
  deps: TotpDeps,
  input: SessionInput & { code: string },
): Promise<RotatedSession & { recoveryCodes: string[] }> {
  const now = deps.clock?.() ?? new Date();
  const user = await deps.db.user.findUniqueOrThrow({ where: { id: input.userId } });
  if (user.totpEnabledAt) throw new AppError("conflict", "Two-factor authentication is already enabled.");
  if (!user.totpSecret) throw new AppError("conflict", "Start the enrolment first.");
  await reserveSessionCheck(deps.db, input.sessionId);
  const secret = deps.secrets.decrypt(user.totpSecret, totpSecretContext(user.id));
  const step = await matchingStep(secret, input.code, now, null);
  if (step === null) throw invalidCode();
  return deps.db.$transaction(async (tx) => {
    await tx.user.update({
      where: { id: user.id },
      data: {
        totpEnabledAt: now,
        totpPendingSessionId: null,
        totpLastStep: step,
        totpFailedCount: 0,
        totpLockedUntil: null,
      },
    });
    const recoveryCodes = await issueRecoveryCodes(tx, user.id);
    const rotated = await rotateSession(tx, input.sessionId, { now, policy: deps.policy ?? DEFAULT_SESSION_POLICY });
    await tx.session.deleteMany({ where: { userId: user.id, id: { not: input.sessionId } } });
    await recordAudit(tx, userActor(input), "auth.totp_enabled", "user", user.id);
    return { ...rotated, recoveryCodes };
  });
}

/**
 * Completes a sign-in of a user with TOTP. Each try is counted first — MAX_SESSION_FAILED_CHECKS per session (then
 * the session ends) and TOTP_FREE_FAILURES per account (then the second factor waits) — so guessing the one-in-a-
 * million code gets nowhere. A right code verifies the session under a new token (the pending one stops working).
 */
export async function verifySessionTotp(
  deps: TotpDeps,
  input: SessionInput & { code: string },
): Promise<RotatedSession> {
  const now = deps.clock?.() ?? new Date();
  const user = await deps.db.user.findUniqueOrThrow({ where: { id: input.userId } });
  if (!user.totpEnabledAt || !user.totpSecret)
    throw new AppError("bad_request", "Two-factor authentication is not enabled.");
  await reserveSessionCheck(deps.db, input.sessionId);
  await reserveAccountTry(deps.db, user.id, now);
  if (!(await checkSecondFactor(deps, input, now))) {
    await recordAudit(deps.db, userActor(input), "auth.totp_failed", "user", user.id);
    throw invalidCode();
  }
  return deps.db.$transaction(async (tx) => {
    await tx.user.update({
      where: { id: user.id },
      data: { lastLoginAt: now, totpFailedCount: 0, totpLockedUntil: null },
    });
    const rotated = await rotateSession(tx, input.sessionId, { now, policy: deps.policy ?? DEFAULT_SESSION_POLICY });
    await recordAudit(tx, userActor(input), "auth.login", "user", user.id, { totp: true });
    return rotated;
  });
}

/**
 * A password re-check on a signed-in session (turning TOTP off, new recovery codes, enrolling from the settings):
 * counted against the session's tries, so a stolen cookie cannot guess the password; the session ends after a few.
 */
async function recheckPassword(
  deps: Pick<TotpDeps, "db">,
  input: SessionInput,
  password: string | undefined,
): Promise<void> {
  if (!password) throw new AppError("validation_failed", "Enter your password to confirm.");
  await reserveSessionCheck(deps.db, input.sessionId);
  const user = await deps.db.user.findUniqueOrThrow({ where: { id: input.userId }, select: { passwordHash: true } });
  if (!(await verifyPassword(user.passwordHash, password))) {
    await recordAudit(deps.db, userActor(input), "auth.password_recheck_failed", "user", input.userId);
    throw new AppError("invalid_credentials", "The password is wrong.");
  }
  await clearSessionChecks(deps.db, input.sessionId);
}

/** New recovery codes (the old ones stop working), after the password is confirmed. */
export async function regenerateRecoveryCodes(
  deps: Pick<TotpDeps, "db">,
  input: SessionInput & { password: string },
): Promise<string[]> {
  const user = await deps.db.user.findUniqueOrThrow({ where: { id: input.userId } });
  if (!user.totpEnabledAt) throw new AppError("conflict", "Two-factor authentication is not enabled.");
  await recheckPassword(deps, input, input.password);
  return deps.db.$transaction(async (tx) => {
    const codes = await issueRecoveryCodes(tx, user.id);
    await recordAudit(tx, userActor(input), "auth.totp_recovery_codes_issued", "user", user.id);
    return codes;
  });
}

/** How many unused recovery codes the user has left. */
export async function countRecoveryCodes(db: Db, userId: string): Promise<number> {
  return db.totpRecoveryCode.count({ where: { userId, usedAt: null } });
}

/** Turns TOTP off after re-checking the password; refused while admins require it. */
export async function disableTotp(
  deps: Pick<TotpDeps, "db">,
  input: SessionInput & { password: string },
): Promise<void> {
  await recheckPassword(deps, input, input.password);
  if (await isTotpRequired(deps.db)) throw new AppError("forbidden", "Two-factor authentication is mandatory here.");
  await deps.db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: input.userId }, data: totpOff });
    await tx.totpRecoveryCode.deleteMany({ where: { userId: input.userId } });
    await recordAudit(tx, userActor(input), "auth.totp_disabled", "user", input.userId);
  });
}

const totpOff = {
  totpEnabledAt: null,
  totpSecret: null,
  totpPendingSessionId: null,
  totpLastStep: null,
  totpFailedCount: 0,
  totpLockedUntil: null,
} as const;

/**
 * An admin resets a user's second factor (lost phone, no recovery codes left): TOTP off, recovery codes gone, all the
 * user's sessions end. The user signs in with the password and enrols again (at once when admins require TOTP).
 */
export async function resetUserTotp(db: Db, actor: Actor, userId: string): Promise<void> {
  if (!isUuid(userId)) throw new AppError("not_found", "User not found.");
  await db.$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({ where: { id: userId }, data: totpOff });
    if (!count) throw new AppError("not_found", "User not found.");
    await tx.totpRecoveryCode.deleteMany({ where: { userId } });
    await tx.session.deleteMany({ where: { userId } });
    await recordAudit(tx, actor, "user.totp_reset", "user", userId);
  });
}
