import { Prisma, runSqlOf, sqlTimestamp, type DbTx, type RunSql } from "@inbox/db";
import { LEADS_SEE_TEAMLESS_SETTING } from "./read-security-settings";
import type { SessionUser } from "./session-user";
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
  db: DbTx | RunSql,
  token: string,
  options: FindSessionOptions = {},
): Promise<ActiveSession | null> {
  const now = options.now ?? new Date();
  const policy = options.policy ?? DEFAULT_SESSION_POLICY;
  const run = runSqlOf(db);
  // Every authenticated request asks this: session, user, teams and the leads' setting in one round trip.
  const [row] = await run<SessionRow>(Prisma.sql`
    SELECT s."id", s."csrfToken", s."isVerified", s."expiresAt", s."lastSeenAt", s."createdAt",
           u."id" AS "userId", u."email", u."name", u."role"::text AS "role", u."locale", u."timeZone",
           u."totpEnabledAt" IS NOT NULL AS "totpEnabled", u."mustChangePassword", u."isActive",
           ARRAY(SELECT m."teamId"::text FROM "TeamMembership" m WHERE m."userId" = u."id" ORDER BY m."teamId")
             AS "teamIds",
           COALESCE((SELECT st."value" = 'true'::jsonb FROM "Setting" st WHERE st."key" = ${LEADS_SEE_TEAMLESS_SETTING}),
             false) AS "leadsSeeTeamless"
    FROM "Session" s JOIN "User" u ON u."id" = s."userId"
    WHERE s."tokenHash" = ${hashSessionToken(token)}`);
  if (!row) return null;
  if (row.expiresAt <= now || row.createdAt.getTime() + policy.maxAgeMs <= now.getTime()) {
    await run(Prisma.sql`DELETE FROM "Session" WHERE "id" = ${row.id}::uuid`);
    return null;
  }
  if (!row.isActive) return null;
  let expiresAt = row.expiresAt;
  if (
    options.touch !== false &&
    row.isVerified &&
    now.getTime() - row.lastSeenAt.getTime() > SESSION_TOUCH_INTERVAL_MS
  ) {
    expiresAt = verifiedExpiry(policy, row.createdAt, now);
    await run(Prisma.sql`
      UPDATE "Session" SET "lastSeenAt" = ${sqlTimestamp(now)}, "expiresAt" = ${sqlTimestamp(expiresAt)}
      WHERE "id" = ${row.id}::uuid`);
  }
  const role = row.role as SessionUser["role"];
  const user: SessionUser = {
    id: row.userId,
    email: row.email,
    name: row.name,
    role,
    teamIds: row.teamIds,
    locale: row.locale,
    timeZone: row.timeZone,
    totpEnabled: row.totpEnabled,
    mustChangePassword: row.mustChangePassword,
    seesTeamlessConversations: role === "lead" && row.leadsSeeTeamless,
  };
  return { id: row.id, csrfToken: row.csrfToken, isVerified: row.isVerified, expiresAt, user };
}

interface SessionRow {
  id: string;
  csrfToken: string;
  isVerified: boolean;
  expiresAt: Date;
  lastSeenAt: Date;
  createdAt: Date;
  userId: string;
  email: string;
  name: string;
  role: string;
  locale: string;
  timeZone: string;
  totpEnabled: boolean;
  mustChangePassword: boolean;
  isActive: boolean;
  teamIds: string[];
  leadsSeeTeamless: boolean;
}
