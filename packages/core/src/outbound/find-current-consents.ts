import type { DbTx } from "@inbox/db";
import type { ConsentState } from "../consent/consent-rules";

/** The newest consent record per purpose (the log is append-only; the newest row is the current state). */
export async function findCurrentConsents(db: DbTx, contactId: string): Promise<ConsentState[]> {
  const rows = await db.consent.findMany({
    where: { contactId },
    orderBy: [{ occurredAt: "desc" }, { createdAt: "desc" }],
    distinct: ["purpose"],
    select: { purpose: true, status: true, occurredAt: true },
  });
  return rows;
}
