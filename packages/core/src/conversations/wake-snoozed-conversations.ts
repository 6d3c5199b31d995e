import { Prisma, sqlTimestamp, type Db } from "@inbox/db";

/**
 * Snoozed conversations whose time has come go back to `open` (they were parked as `pending` with `snoozedUntil`).
 * One statement, safe to run from several workers at once: a conversation is woken once, by whoever updates it
 * first. A customer message wakes a snoozed conversation earlier (inbound pipeline); a resolved one stays resolved.
 */
export async function wakeSnoozedConversations(db: Db, now: Date = new Date()): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>(Prisma.sql`
    UPDATE "Conversation"
       SET status = 'open', "snoozedUntil" = NULL, "updatedAt" = ${sqlTimestamp(now)}
     WHERE "snoozedUntil" IS NOT NULL AND "snoozedUntil" <= ${sqlTimestamp(now)} AND status = 'pending'
    RETURNING id`);
  return rows.map((r) => r.id);
}
