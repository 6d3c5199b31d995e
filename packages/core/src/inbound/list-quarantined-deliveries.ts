import type { QuarantinePage } from "@inbox/contracts";
import type { DbTx, Prisma } from "@inbox/db";
import { decodeCursor, encodeCursor } from "../shared/cursors";
import { AppError } from "../errors/app-error";

/** Quarantined parts not applied or dismissed yet. */
export const UNHANDLED_QUARANTINE: Prisma.WebhookEventWhereInput = { quarantineReason: { not: null }, handledAt: null };

/** How many parts wait in quarantine (not applied, not dismissed): the operators' gauge and the admins' total. */
export function countQuarantinedDeliveries(db: DbTx): Promise<number> {
  return db.webhookEvent.count({ where: UNHANDLED_QUARANTINE });
}

/** The quarantine for admins: newest first, keyset-paged, with the total of unhandled parts. */
export async function listQuarantinedDeliveries(
  db: DbTx,
  query: { limit: number; cursor?: string | undefined },
): Promise<QuarantinePage> {
  const and: Prisma.WebhookEventWhereInput[] = [UNHANDLED_QUARANTINE];
  if (query.cursor) {
    const c = decodeCursor(query.cursor);
    if (!c) throw new AppError("bad_request", "Invalid cursor.");
    and.push({ OR: [{ receivedAt: { lt: c.at } }, { receivedAt: c.at, id: { lt: c.id } }] });
  }
  const [rows, total] = await Promise.all([
    db.webhookEvent.findMany({
      where: { AND: and },
      orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
      take: query.limit + 1,
    }),
    countQuarantinedDeliveries(db),
  ]);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: r.id,
      receivedAt: r.receivedAt.toISOString(),
      field: r.field,
      reason: r.quarantineReason ?? "",
      channelId: r.channelId,
      payload: (r.payload ?? {}) as Record<string, unknown>,
    })),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.receivedAt, last.id) : null,
    total,
  };
}
