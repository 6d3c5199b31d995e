import type { Db } from "@inbox/db";
import { DEFAULT_SESSION_POLICY, type SessionPolicy } from "./session-token";

/** Deletes sessions past their idle or absolute end (the worker's sweeper; presented ones are deleted on sight). */
export async function sweepExpiredSessions(
  db: Db,
  options: { now?: Date; policy?: SessionPolicy } = {},
): Promise<number> {
  const now = options.now ?? new Date();
  const policy = options.policy ?? DEFAULT_SESSION_POLICY;
  const { count } = await db.session.deleteMany({
    where: { OR: [{ expiresAt: { lte: now } }, { createdAt: { lte: new Date(now.getTime() - policy.maxAgeMs) } }] },
  });
  return count;
}
