import { isIPv4, isIPv6 } from "node:net";
import { Prisma, sqlTimestamp, type Db, type DbTx } from "@inbox/db";

/** Failed sign-ins per account and source before waiting starts. */
export const LOGIN_FREE_ATTEMPTS = 5;
/** The first wait, doubled with every further failure, up to LOGIN_MAX_BACKOFF_MS. */
const LOGIN_FIRST_BACKOFF_MS = 30_000;
const LOGIN_MAX_BACKOFF_MS = 15 * 60_000;
/** A pair that stayed quiet this long starts from zero (and the sweeper deletes it). */
const LOGIN_THROTTLE_MEMORY_MS = 24 * 60 * 60_000;

/**
 * The source a sign-in counts against: the client address, IPv6 by its /64 (one subscriber's prefix: a client
 * must not get a fresh counter per address of its own network).
 */
export function throttleSource(ip: string | undefined): string {
  if (!ip) return "unknown";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (isIPv4(ip)) return ip;
  if (!isIPv6(ip)) return ip;
  const [head = "", tail = ""] = ip.split("%")[0]!.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = ip.includes("::")
    ? [...left, ...new Array<string>(8 - left.length - right.length).fill("0"), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

/**
 * Counts a sign-in attempt for (account, source) BEFORE the password is checked, in one statement: parallel
 * requests each take their own count, so no burst gets past the limit. From the LOGIN_FREE_ATTEMPTS-th attempt on,
 * the pair must wait (30 s, then doubling up to 15 min) before the next one is even checked. Returns false while
 * the pair waits. Only this source waits: anyone else, the account's owner included, signs in as usual.
 */
export async function reserveLoginAttempt(db: DbTx, account: string, source: string, now: Date): Promise<boolean> {
  const at = sqlTimestamp(now);
  const forgetBefore = sqlTimestamp(new Date(now.getTime() - LOGIN_THROTTLE_MEMORY_MS));
  const failures = Prisma.sql`(CASE WHEN t."lastFailureAt" < ${forgetBefore} THEN 1 ELSE t.failures + 1 END)`;
  const rows = await db.$queryRaw<{ failures: number }[]>(Prisma.sql`
    INSERT INTO "LoginThrottle" AS t (account, source, failures, "blockedUntil", "lastFailureAt")
    VALUES (${account}, ${source}, 1, NULL, ${at})
    ON CONFLICT (account, source) DO UPDATE SET
      failures = ${failures},
      "lastFailureAt" = ${at},
      "blockedUntil" = CASE WHEN ${failures} >= ${LOGIN_FREE_ATTEMPTS}
        THEN ${at} + make_interval(secs => LEAST(
          ${LOGIN_FIRST_BACKOFF_MS / 1000}::float8 * power(2, ${failures} - ${LOGIN_FREE_ATTEMPTS}),
          ${LOGIN_MAX_BACKOFF_MS / 1000}::float8))
        ELSE NULL END
    WHERE t."blockedUntil" IS NULL OR t."blockedUntil" <= ${at}
    RETURNING failures`);
  return rows.length > 0;
}

/** A right password: the pair starts from zero. */
export async function clearLoginThrottle(db: DbTx, account: string, source: string): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { account, source } });
}

/** An admin reset the password: every source starts from zero for this account. */
export async function clearAccountThrottles(db: DbTx, account: string): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { account } });
}

/** Forgets pairs that stayed quiet for LOGIN_THROTTLE_MEMORY_MS (the worker's sweeper). */
export async function sweepLoginThrottles(db: Db, now = new Date()): Promise<number> {
  const { count } = await db.loginThrottle.deleteMany({
    where: { lastFailureAt: { lt: new Date(now.getTime() - LOGIN_THROTTLE_MEMORY_MS) } },
  });
  return count;
}
