import type { Db } from "@inbox/db";
import { loadSessionUser, type SessionUser } from "./session-user";
import {
  DEFAULT_SESSION_POLICY,
  hashSessionToken,
  SESSION_TOUCH_INTERVAL_MS,
  verifiedExpiry,
  type SessionPolicy,
} from "./session-token";

export interface ActiveSession {
  id: string;
  csrfToken: string;
  isVerified: boolean;
  expiresAt: Date;
  user: SessionUser;
}

export interface FindSessionOptions {
  now?: Date;
  policy?: SessionPolicy;
  /**
   * Whether this use counts as activity (slides the idle expiry). Background checks (the websocket's re-check of an
   * open tab) pass false, so an idle tab does not keep its session alive.
   */
  touch?: boolean;
}

/**
 * The session behind a cookie token, or null when unknown, expired (idle or absolute: SESSION_MAX_AGE after the
 * sign-in) or its user is deactivated. Verified sessions slide: each use (at most once a minute) pushes the idle
 * expiry ahead, never past the absolute end.
 */
export async function findSession(
  db: Db,
  token: string,
  options: FindSessionOptions = {},
): Promise<ActiveSession | null> {
  const now = options.now ?? new Date();
  const policy = options.policy ?? DEFAULT_SESSION_POLICY;
  const session = await db.session.findUnique({ where: { tokenHash: hashSessionToken(token) } });
  if (!session) return null;
  if (session.expiresAt <= now || session.createdAt.getTime() + policy.maxAgeMs <= now.getTime()) {
    await db.session.deleteMany({ where: { id: session.id } });
    return null;
  }
  const user = await loadSessionUser(db, session.userId);
  if (!user) return null;
  let expiresAt = session.expiresAt;
  if (
    options.touch !== false &&
    session.isVerified &&
    now.getTime() - session.lastSeenAt.getTime() > SESSION_TOUCH_INTERVAL_MS
  ) {
    expiresAt = verifiedExpiry(policy, session.createdAt, now);
    await db.session.update({ where: { id: session.id }, data: { lastSeenAt: now, expiresAt } });
  }
  return { id: session.id, csrfToken: session.csrfToken, isVerified: session.isVerified, expiresAt, user };
}
