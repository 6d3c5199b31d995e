import type { Db } from "@inbox/db";
import { recordAudit, type Actor } from "../audit/record-audit";
import { isUuid } from "../shared/ids";
import { AppError } from "../errors/app-error";

/**
 * An admin sets a quarantined part aside (e.g. value-level errors about the app that no upgrade will tie to a
 * conversation): marked handled, kept (retention deletes it like other webhook payloads), audited.
 */
export async function dismissQuarantinedDelivery(db: Db, actor: Actor, id: string): Promise<void> {
  if (!isUuid(id)) throw new AppError("not_found", "Quarantined delivery not found.");
  await db.$transaction(async (tx) => {
    const { count } = await tx.webhookEvent.updateMany({
      where: { id, quarantineReason: { not: null }, handledAt: null },
      data: { handledAt: new Date() },
    });
    if (count === 0) throw new AppError("not_found", "Quarantined delivery not found (or handled already).");
    await recordAudit(tx, actor, "webhook.quarantine.dismissed", "webhook_event", id);
  });
}
