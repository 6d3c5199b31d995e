import { Prisma, type Db, type DbTx } from "@inbox/db";
import { AppError } from "../errors/app-error";
import {
  hashSessionToken,
  MAX_SESSION_FAILED_CHECKS,
  newCsrfToken,
  newSessionToken,
  verifiedExpiry,
  type SessionPolicy,
} from "./session-token";

/**
 * Takes one of the session's few tries for a second-factor code or a password re-check, BEFORE the check runs (so
 * parallel requests cannot all pass a "fewer than five so far" test). The try is given back by `clearSessionChecks`
 * when the check succeeds. A session out of tries ends: 401, sign in again.
 */
export async function reserveSessionCheck(db: Db, sessionId: string): Promise<void> {
  const rows = await db.$queryRaw<{ failedChecks: number }[]>(Prisma.sql`
    UPDATE "Session" SET "failedChecks" = "failedChecks" + 1
    WHERE id = ${sessionId}::uuid AND "failedChecks" < ${MAX_SESSION_FAILED_CHECKS}
    RETURNING "failedChecks"`);
  if (rows.length === 0) {
    await db.session.deleteMany({ where: { id: sessionId } });
    throw new AppError("unauthenticated", "Too many wrong attempts: this sign-in has ended. Sign in again.");
  }
}

export async function clearSessionChecks(db: DbTx, sessionId: string): Promise<void> {
  await db.session.updateMany({ where: { id: sessionId }, data: { failedChecks: 0 } });
}

export interface RotatedSession {
  /** The new cookie token (the old one no longer works). */
  token: string;
  csrfToken: string;
}

/**
 * Issues a new token and CSRF token for a session whose privileges change (second factor completed, password
 * changed): whoever knew the old token — a fixated or leaked cookie — is left with nothing. Marks it verified.
 */
export async function rotateSession(
  tx: DbTx,
  sessionId: string,
  options: { now: Date; policy: SessionPolicy },
): Promise<RotatedSession> {
  const token = newSessionToken();
  const csrfToken = newCsrfToken();
  const session = await tx.session.findUniqueOrThrow({ where: { id: sessionId }, select: { createdAt: true } });
  await tx.session.update({
    where: { id: sessionId },
    data: {
      tokenHash: hashSessionToken(token),
      csrfToken,
      isVerified: true,
      failedChecks: 0,
      lastSeenAt: options.now,
      expiresAt: verifiedExpiry(options.policy, session.createdAt, options.now),
    },
  });
  return { token, csrfToken };
}
