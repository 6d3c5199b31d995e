import type { Db } from "@inbox/db";
import { recordAudit } from "../audit/record-audit";
import { AppError } from "../errors/app-error";
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from "../users/password";
import { reserveSessionCheck, rotateSession, type RotatedSession } from "./session-checks";
import { DEFAULT_SESSION_POLICY, type SessionPolicy } from "./session-token";

export interface ChangePasswordInput {
  userId: string;
  /** The session that asks; it stays signed in (under a new token), every other session of the user ends. */
  sessionId: string;
  currentPassword: string;
  newPassword: string;
  ip?: string;
}

/**
 * A user sets their own password (and must, after an admin set it: `mustChangePassword`). The current password is
 * checked again (counted against the session's tries: a stolen cookie cannot guess it); the new one must be long
 * enough and different. Other sessions end, as after any credential change, and this one gets a new token.
 */
export async function changeOwnPassword(
  db: Db,
  input: ChangePasswordInput,
  options: { now?: Date; policy?: SessionPolicy } = {},
): Promise<RotatedSession> {
  const now = options.now ?? new Date();
  const user = await db.user.findUniqueOrThrow({ where: { id: input.userId } });
  const actor = { type: "user" as const, userId: user.id, ...(input.ip ? { ip: input.ip } : {}) };
  if (input.newPassword.length < MIN_PASSWORD_LENGTH) {
    throw new AppError("validation_failed", `The new password needs at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  if (input.newPassword === input.currentPassword) {
    throw new AppError("validation_failed", "The new password must differ from the current one.");
  }
  await reserveSessionCheck(db, input.sessionId);
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    await recordAudit(db, actor, "auth.password_change_failed", "user", user.id);
    throw new AppError("invalid_credentials", "The current password is wrong.");
  }
  const passwordHash = await hashPassword(input.newPassword);
  return db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, mustChangePassword: false } });
    await tx.session.deleteMany({ where: { userId: user.id, id: { not: input.sessionId } } });
    const rotated = await rotateSession(tx, input.sessionId, { now, policy: options.policy ?? DEFAULT_SESSION_POLICY });
    await recordAudit(tx, actor, "auth.password_changed", "user", user.id);
    return rotated;
  });
}
