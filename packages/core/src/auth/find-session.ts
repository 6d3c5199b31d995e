import type { Db } from "@inbox/db";
import { loadSessionUser, type SessionUser } from "./session-user";
import { hashSessionToken, SESSION_TOUCH_INTERVAL_MS, SESSION_TTL_MS } from "./session-token";

export interface ActiveSession {
  id: string;
  csrfToken: string;
  isVerified: boolean;
  expiresAt: Date;
  user: SessionUser;
}

/**
 * The session behind a cookie token, or null when unknown, expired or its user is deactivated. Verified sessions
 * slide: each use (at most once a minute) pushes expiry SESSION_TTL_MS ahead.
 */
export async function findSession(db: Db, token: string, now = new Date()): Promise<ActiveSession | null> {
  const session = await db.session.findUnique({ where: { tokenHash: hashSessionToken(token) } });
  if (!session) return null;
  if (session.expiresAt <= now) {
    await db.session.deleteMany({ where: { id: session.id } });
    return null;
  }
  const user = await loadSessionUser(db, session.userId);
  if (!user) return null;
  let expiresAt = session.expiresAt;
  if (session.isVerified && now.getTime() - session.lastSeenAt.getTime() > SESSION_TOUCH_INTERVAL_MS) {
    expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
    await db.session.update({ where: { id: session.id }, data: { lastSeenAt: now, expiresAt } });
  }
  return { id: session.id, csrfToken: session.csrfToken, isVerified: session.isVerified, expiresAt, user };
}
