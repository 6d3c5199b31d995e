import { toJsonValue, type Db, type Prisma } from "@inbox/db";
import type { Logger } from "@inbox/logger";
import type { WebhookDelivery } from "@inbox/whatsapp";
import type { QuarantinePart } from "./prepare-delivery";

/**
 * WebhookEvent rows for quarantined parts: unhandled (handledAt null) with the reason, each part a delivery of its
 * own that `reprocessQuarantinedDeliveries` can apply again. Each is logged (reason, field, where — never content).
 */
export function toQuarantineRows(
  parts: QuarantinePart[],
  receivedAt: Date | undefined,
  log: Logger | undefined,
): Prisma.WebhookEventCreateManyInput[] {
  return parts.map((part) => {
    log?.warn(
      { reason: part.reason, field: part.field, channelId: part.channelId, issues: part.issues.slice(0, 5) },
      "webhook part quarantined: it cannot be tied to a conversation",
    );
    return {
      channelId: part.channelId,
      field: part.field,
      payload: toJsonValue(part.payload),
      quarantineReason: part.reason,
      ...(receivedAt ? { receivedAt } : {}),
    };
  });
}

/**
 * Keeps a whole signed delivery that could not be applied (an error that retrying does not cure) in quarantine,
 * so that it is stored, answered 200 and can be applied again after a fix (`pnpm inbox webhooks reprocess`).
 */
export async function quarantineDelivery(
  db: Db,
  delivery: WebhookDelivery,
  error: unknown,
  log: Logger | undefined,
): Promise<void> {
  log?.error({ err: error }, "webhook delivery could not be applied; kept in quarantine");
  await db.webhookEvent.create({
    data: { field: "delivery", payload: toJsonValue(delivery.raw), quarantineReason: "apply_failed" },
  });
}
