import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@inbox/db";
import { recordAudit } from "../audit/record-audit";
import { AppError } from "../errors/app-error";
import { verifyPassword } from "../users/password";
import { SESSION_TTL_MS } from "./session-token";

/** How many one-time codes a set has; each stands in for the authenticator app once. */
export const RECOVERY_CODE_COUNT = 10;
/** Right after enabling 2FA the first set needs no password again (the user just proved the app works). */
const FIRST_SET_GRACE_MS = 10 * 60_000;
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

const normalize = (code: string) => code.toLowerCase().replace(/[^a-z0-9]/g, "");
const hashOf = (code: string) => createHash("sha256").update(normalize(code)).digest("hex");

/** "xxxxx-xxxxx": 10 characters of a 31-letter alphabet without look-alikes (about 49 bits each). */
function newCode(): string {
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]!).join("");
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

type Actor = { userId: string; ip?: string };
const auditActor = (a: Actor) => ({ type: "user" as const, userId: a.userId, ...(a.ip ? { ip: a.ip } : {}) });

/** Unused codes of the user's current 2FA (codes from before 2FA was last turned on do not count). */
export async function countRecoveryCodes(db: Db, userId: string): Promise<number> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { totpEnabledAt: true } });
  if (!user.totpEnabledAt) return 0;
  return db.totpRecoveryCode.count({ where: { userId, usedAt: null, createdAt: { gte: user.totpEnabledAt } } });
}

/**
 * A new set of one-time recovery codes for a user with 2FA; earlier codes stop working. Returned once in plain
 * text; only hashes are stored. Asks for the password, except for the first set right after enabling 2FA.
 */
export async function generateRecoveryCodes(
  db: Db,
  input: Actor & { password?: string | undefined },
  now = new Date(),
): Promise<string[]> {
  const user = await db.user.findUniqueOrThrow({ where: { id: input.userId } });
  if (!user.totpEnabledAt) throw new AppError("conflict", "Turn on two-factor authentication first.");
  const hadCodes = (await db.totpRecoveryCode.count({ where: { userId: user.id } })) > 0;
  const isFirstSet = !hadCodes && now.getTime() - user.totpEnabledAt.getTime() < FIRST_SET_GRACE_MS;
  if (!isFirstSet && !(input.password && (await verifyPassword(user.passwordHash, input.password)))) {
    throw new AppError("invalid_credentials", "The password is wrong.");
  }
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
  await db.$transaction(async (tx) => {
    await tx.totpRecoveryCode.deleteMany({ where: { userId: user.id } });
    await tx.totpRecoveryCode.createMany({
      data: codes.map((code) => ({ userId: user.id, codeHash: hashOf(code), createdAt: now })),
    });
    await recordAudit(tx, auditActor(input), "auth.recovery_codes_generated", "user", user.id);
  });
  return codes;
}

/**
 * Completes a login with a recovery code instead of the app's code: the code is used up (a second use fails, also
 * when raced) and the pending session becomes verified.
 */
export async function verifySessionWithRecoveryCode(
  db: Db,
  input: Actor & { sessionId: string; code: string },
  now = new Date(),
): Promise<{ remaining: number }> {
  const user = await db.user.findUniqueOrThrow({ where: { id: input.userId } });
  if (!user.totpEnabledAt) throw new AppError("bad_request", "Two-factor authentication is not enabled.");
  const used = await db.totpRecoveryCode.updateMany({
    where: { userId: user.id, codeHash: hashOf(input.code), usedAt: null, createdAt: { gte: user.totpEnabledAt } },
    data: { usedAt: now },
  });
  if (used.count !== 1) {
    await recordAudit(db, auditActor(input), "auth.recovery_code_failed", "user", user.id);
    throw new AppError("invalid_credentials", "The recovery code is not valid.");
  }
  await db.$transaction(async (tx) => {
    await tx.session.update({
      where: { id: input.sessionId },
      data: { isVerified: true, expiresAt: new Date(now.getTime() + SESSION_TTL_MS), lastSeenAt: now },
    });
    await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: now } });
    await recordAudit(tx, auditActor(input), "auth.login", "user", user.id, { recoveryCode: true });
  });
  return { remaining: await countRecoveryCodes(db, user.id) };
}

/**
 * An admin turns another user's 2FA off (lost phone and codes): secret and codes are removed and the user's
 * sessions end, so they sign in again (and enrol again where 2FA is mandatory).
 */
export async function resetUserTotp(db: Db, input: Actor & { targetUserId: string }): Promise<void> {
  const target = await db.user.findUnique({ where: { id: input.targetUserId } });
  if (!target) throw new AppError("not_found", "User not found.");
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: target.id }, data: { totpEnabledAt: null, totpSecret: null } });
    await tx.totpRecoveryCode.deleteMany({ where: { userId: target.id } });
    await tx.session.deleteMany({ where: { userId: target.id } });
    await recordAudit(tx, auditActor(input), "auth.totp_reset", "user", target.id);
  });
}
