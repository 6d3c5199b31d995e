import type { AuditEntryDto, AuditLogQuery } from "@inbox/contracts";
import type { DbTx, Prisma } from "@inbox/db";
import { AppError } from "../errors/app-error";

function whereOf(query: Omit<AuditLogQuery, "limit" | "cursor">): Prisma.AuditLogWhereInput {
  const where: Prisma.AuditLogWhereInput = {};
  if (query.action) {
    where.action = query.action.endsWith(".*") ? { startsWith: query.action.slice(0, -1) } : query.action;
  }
  if (query.actorId) where.actorId = query.actorId;
  if (query.since) where.createdAt = { gte: new Date(query.since) };
  return where;
}

/** Newest first, keyset-paged by id (the log is append-only, so ids only grow). */
export async function listAuditLog(
  db: DbTx,
  query: AuditLogQuery,
): Promise<{ items: AuditEntryDto[]; nextCursor: string | null }> {
  const where = whereOf(query);
  if (query.cursor) {
    if (!/^\d{1,19}$/.test(query.cursor)) throw new AppError("bad_request", "Invalid cursor.");
    where.id = { lt: BigInt(query.cursor) };
  }
  const rows = await db.auditLog.findMany({
    where,
    orderBy: { id: "desc" },
    take: query.limit + 1,
    include: { actor: { select: { name: true } } },
  });
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((r) => ({
      id: r.id.toString(),
      createdAt: r.createdAt.toISOString(),
      action: r.action,
      actorType: r.actorType,
      actorId: r.actorId,
      actorName: r.actor?.name ?? null,
      target: { type: r.entityType, id: r.entityId },
      ip: r.ip,
      data: (r.data ?? {}) as Record<string, unknown>,
    })),
    nextCursor: rows.length > query.limit ? page.at(-1)!.id.toString() : null,
  };
}
