import type { Db } from "@inbox/db";
import { generateSecret, generateURI, verify } from "otplib";
import { AppError } from "../errors/app-error";
import { recordAudit } from "../audit/record-audit";
import { verifyPassword } from "../users/password";
import { isTotpRequired } from "./read-security-settings";
import { SESSION_TTL_MS } from "./session-token";

const ISSUER = "WhatsApp Inbox";

/** Accepts the current code and one step either side (clock drift). */
async function codeMatches(secret: string, code: string): Promise<boolean> {
  if (!/^\d{6}$/.test(code)) return false;
  try {
    const result = await verify({ secret, token: code, epochTolerance: 30 });
    return result.valid;
  } catch {
    return false;
  }
}

/** Starts enrolment: stores a fresh (not yet enabled) secret and returns it with its otpauth:// URI. */
export async function beginTotpEnrollment(db: Db, userId: string): Promise<{ secret: string; otpauthUri: string }> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
  if (user.totpEnabledAt) throw new AppError("conflict", "Two-factor authentication is already enabled.");
  const secret = generateSecret();
  await db.user.update({ where: { id: userId }, data: { totpSecret: secret } });
  return { secret, otpauthUri: generateURI({ issuer: ISSUER, label: user.email, secret }) };
}

/** Confirms enrolment with a code from the app; enables TOTP and verifies the current session. */
export async function confirmTotpEnrollment(
  db: Db,
  input: { userId: string; sessionId: string; code: string; ip?: string },
  now = new Date(),
): Promise<void> {
  const user = await db.user.findUniqueOrThrow({ where: { id: input.userId } });
  if (user.totpEnabledAt) throw new AppError("conflict", "Two-factor authentication is already enabled.");
  if (!user.totpSecret || !(await codeMatches(user.totpSecret, input.code))) {
    throw new AppError("invalid_credentials", "The code is not valid.");
  }
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { totpEnabledAt: now } });
    await tx.session.update({
      where: { id: input.sessionId },
      data: { isVerified: true, expiresAt: new Date(now.getTime() + SESSION_TTL_MS), lastSeenAt: now },
    });
    // Other sessions were opened without the second factor.
    await tx.session.deleteMany({ where: { userId: user.id, id: { not: input.sessionId } } });
    await recordAudit(
      tx,
      { type: "user", userId: user.id, ...(input.ip ? { ip: input.ip } : {}) },
      "auth.totp_enabled",
      "user",
      user.id,
    );
  });
}

/** Completes a login of a user with TOTP: the pending session becomes verified. */
export async function verifySessionTotp(
  db: Db,
  input: { userId: string; sessionId: string; code: string; ip?: string },
  now = new Date(),
): Promise<void> {
  const user = await db.user.findUniqueOrThrow({ where: { id: input.userId } });
  const actor = { type: "user" as const, userId: user.id, ...(input.ip ? { ip: input.ip } : {}) };
  if (!user.totpEnabledAt || !user.totpSecret)
    throw new AppError("bad_request", "Two-factor authentication is not enabled.");
  if (!(await codeMatches(user.totpSecret, input.code))) {
    await recordAudit(db, actor, "auth.totp_failed", "user", user.id);
    throw new AppError("invalid_credentials", "The code is not valid.");
  }
  await db.$transaction(async (tx) => {
    await tx.session.update({
      where: { id: input.sessionId },
      data: { isVerified: true, expiresAt: new Date(now.getTime() + SESSION_TTL_MS), lastSeenAt: now },
    });
    await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: now } });
    await recordAudit(tx, actor, "auth.login", "user", user.id, { totp: true });
  });
}

/** Turns TOTP off after re-checking the password; refused while admins require it. */
export async function disableTotp(db: Db, input: { userId: string; password: string; ip?: string }): Promise<void> {
  const user = await db.user.findUniqueOrThrow({ where: { id: input.userId } });
  if (!(await verifyPassword(user.passwordHash, input.password))) {
    throw new AppError("invalid_credentials", "The password is wrong.");
  }
  if (await isTotpRequired(db)) throw new AppError("forbidden", "Two-factor authentication is mandatory here.");
  await db.user.update({ where: { id: user.id }, data: { totpEnabledAt: null, totpSecret: null } });
  await recordAudit(
    db,
    { type: "user", userId: user.id, ...(input.ip ? { ip: input.ip } : {}) },
    "auth.totp_disabled",
    "user",
    user.id,
  );
}
