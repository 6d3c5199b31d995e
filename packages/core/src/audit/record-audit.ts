import type { DbTx, Prisma } from "@inbox/db";

export type Actor =
  { type: "user"; userId: string; ip?: string } | { type: "system" } | { type: "customer"; contactId?: string };

/** Appends to the audit log in the caller's transaction: the record exists exactly when the change does. */
export async function recordAudit(
  db: DbTx,
  actor: Actor,
  action: string,
  entityType: string,
  entityId: string | null,
  data: Prisma.InputJsonObject = {},
): Promise<void> {
  await db.auditLog.create({
    data: {
      actorType: actor.type,
      actorId: actor.type === "user" ? actor.userId : null,
      ip: actor.type === "user" ? (actor.ip ?? null) : null,
      action,
      entityType,
      entityId,
      data,
    },
  });
}
