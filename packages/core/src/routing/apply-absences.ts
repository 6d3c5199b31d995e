import type { Db, DbTx, Prisma } from "@inbox/db";
import { sqlTimestamp } from "@inbox/db";
import { recordAssignmentChanges } from "./record-assignment-changes";

interface Cover {
  userId: string;
  substituteId: string | null;
  substituteTeamId: string | null;
}

/**
 * Moves the given conversations of an absent user to the substitute (agent: assigned; team: queued there). A
 * substitute who can no longer sign in (deactivated after the absence was set), or an absence whose substitute was
 * removed, covers nothing: the conversations wait in their own team's queue instead, where auto-assignment takes them.
 */
async function handOver(tx: DbTx, given: Cover, where: Prisma.ConversationWhereInput, now: Date): Promise<string[]> {
  const cover = await usableCover(tx, given);
  const rows = await tx.conversation.findMany({
    where: { ...where, assigneeId: cover.userId, status: { not: "resolved" } },
    select: { id: true, teamId: true },
  });
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  await recordAssignmentChanges(
    tx,
    { type: "system" },
    rows.map((r) => ({
      conversationId: r.id,
      fromUserId: cover.userId,
      toUserId: cover.substituteId,
      teamId: cover.substituteId ? r.teamId : (cover.substituteTeamId ?? r.teamId),
      reason: "cover" as const,
    })),
    now,
  );
  if (!cover.substituteId && !cover.substituteTeamId) {
    await tx.conversation.updateMany({
      where: { id: { in: ids }, assigneeId: cover.userId },
      data: { assigneeId: null, coveredForId: cover.userId, queuedAt: now, reopenedAt: null },
    });
    return ids;
  }
  await tx.conversation.updateMany({
    where: { id: { in: ids }, assigneeId: cover.userId },
    data: cover.substituteId
      ? {
          assigneeId: cover.substituteId,
          assignedAt: now,
          coveredForId: cover.userId,
          queuedAt: null,
          reopenedAt: null,
        }
      : {
          assigneeId: null,
          teamId: cover.substituteTeamId,
          coveredForId: cover.userId,
          queuedAt: now,
          reopenedAt: null,
        },
  });
  return ids;
}

async function usableCover(tx: DbTx, cover: Cover): Promise<Cover> {
  if (!cover.substituteId) return cover;
  const substitute = await tx.user.findUnique({ where: { id: cover.substituteId }, select: { isActive: true } });
  return substitute?.isActive ? cover : { ...cover, substituteId: null };
}

/**
 * Vacation cover over time (part of the routing tick; safe in several processes — each step claims its absence
 * with a guarded update): at the start, `handover: all` moves the user's open conversations to the substitute; while
 * it runs, a conversation of the user in which the customer writes again (or that reopens) moves too; at the end,
 * `returnAtEnd` gives the covered conversations back. Returns the ids of conversations that moved.
 */
export async function applyAbsences(db: Db, now: Date): Promise<string[]> {
  const changed: string[] = [];
  const starting = await db.absence.findMany({
    where: { startHandledAt: null, startsAt: { lte: now }, OR: [{ endsAt: null }, { endsAt: { gt: now } }] },
  });
  for (const a of starting) {
    const moved = await db.$transaction(async (tx) => {
      const { count } = await tx.absence.updateMany({
        where: { id: a.id, startHandledAt: null },
        data: { startHandledAt: now },
      });
      if (!count || a.handover !== "all") return [];
      return handOver(tx, a, {}, now);
    });
    changed.push(...moved);
  }
  // Running absences: the customer wrote (or the conversation reopened) since the absence started. lastInboundAt is
  // the provider's timestamp, in whole seconds (WhatsApp's `timestamp`), while startsAt has milliseconds: a message
  // in the absence's first second must count, so the start is compared at the provider's precision.
  const running = await db.absence.findMany({
    where: { startsAt: { lte: now }, OR: [{ endsAt: null }, { endsAt: { gt: now } }] },
  });
  for (const a of running) {
    const since = new Date(Math.floor(a.startsAt.getTime() / 1000) * 1000);
    const moved = await db.$transaction((tx) =>
      handOver(tx, a, { OR: [{ lastInboundAt: { gte: since } }, { reopenedAt: { not: null } }] }, now),
    );
    changed.push(...moved);
  }
  const ending = await db.absence.findMany({ where: { endHandledAt: null, endsAt: { lte: now } } });
  for (const a of ending) {
    const moved = await db.$transaction(async (tx) => {
      const { count } = await tx.absence.updateMany({
        where: { id: a.id, endHandledAt: null },
        data: { endHandledAt: now },
      });
      if (!count) return [];
      const covered = await tx.conversation.findMany({
        where: { coveredForId: a.userId, status: { not: "resolved" } },
        select: { id: true, assigneeId: true, teamId: true },
      });
      const ids = covered.map((c) => c.id);
      const user = await tx.user.findUnique({ where: { id: a.userId }, select: { isActive: true } });
      if (a.returnAtEnd && user?.isActive && ids.length) {
        await tx.$executeRaw`
          UPDATE "Conversation" SET "assigneeId" = ${a.userId}::uuid, "assignedAt" = ${sqlTimestamp(now)},
                 "queuedAt" = NULL, "coveredForId" = NULL
           WHERE id = ANY(${ids}::uuid[])`;
        await recordAssignmentChanges(
          tx,
          { type: "system" },
          covered.map((c) => ({
            conversationId: c.id,
            fromUserId: c.assigneeId,
            toUserId: a.userId,
            teamId: c.teamId,
            reason: "cover_return" as const,
          })),
          now,
        );
        return ids;
      }
      await tx.conversation.updateMany({ where: { coveredForId: a.userId }, data: { coveredForId: null } });
      return [];
    });
    changed.push(...moved);
  }
  return changed;
}
