import type { Db } from "@inbox/db";
import { recordAudit } from "../audit/record-audit";

export type AvailabilityStatus = "available" | "away" | "offline";

/** An agent's own status; only `available` agents are auto-assigned. Returns the user's team ids (to drain queues). */
export async function setAvailability(db: Db, userId: string, status: AvailabilityStatus): Promise<string[]> {
  return db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { availability: status } });
    await recordAudit(tx, { type: "user", userId }, "user.availability", "user", userId, { status });
    return (await tx.teamMembership.findMany({ where: { userId }, select: { teamId: true } })).map((m) => m.teamId);
  });
}

export async function getAvailability(db: Db, userId: string): Promise<AvailabilityStatus> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { availability: true } });
  return user?.availability ?? "offline";
}
