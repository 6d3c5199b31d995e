import type { Db } from "@inbox/db";
import { recordAudit } from "../audit/record-audit";
import { AppError } from "../errors/app-error";
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from "../users/password";

export interface ChangePasswordInput {
  userId: string;
  /** The session that asks; it stays signed in, every other session of the user ends. */
  sessionId: string;
  currentPassword: string;
  newPassword: string;
  ip?: string;
}

/**
 * A user sets their own password (and must, after an admin reset it: `mustChangePassword`). The current password
 * is checked again; the new one must be long enough and different. Other sessions end, as after any credential
 * change.
 */
export async function changeOwnPassword(db: Db, input: ChangePasswordInput): Promise<void> {
  const user = await db.user.findUniqueOrThrow({ where: { id: input.userId } });
  const actor = { type: "user" as const, userId: user.id, ...(input.ip ? { ip: input.ip } : {}) };
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    await recordAudit(db, actor, "auth.password_change_failed", "user", user.id);
    throw new AppError("invalid_credentials", "The current password is wrong.");
  }
  if (input.newPassword.length < MIN_PASSWORD_LENGTH) {
    throw new AppError("validation_failed", `The new password needs at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  if (input.newPassword === input.currentPassword) {
    throw new AppError("validation_failed", "The new password must differ from the current one.");
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, mustChangePassword: false } });
    await tx.session.deleteMany({ where: { userId: user.id, id: { not: input.sessionId } } });
    await recordAudit(tx, actor, "auth.password_changed", "user", user.id);
  });
}
