import type { ReprocessResult } from "@inbox/contracts";
import type { Db } from "@inbox/db";
import type { Logger } from "@inbox/logger";
import { parseWebhookDelivery } from "@inbox/whatsapp";
import { ConsentKeywordCache } from "../consent/consent-keywords";
import { applyWhatsAppDelivery } from "./apply-whatsapp-delivery";
import { ChannelDirectory } from "./channel-directory";
import { UNHANDLED_QUARANTINE } from "./list-quarantined-deliveries";

const CHUNK = 100;

/**
 * Applies quarantined parts again (after an upgrade that understands them, or after the channel they name was
 * added): each through the full path in its own transaction, which marks the part handled and quarantines again,
 * with the original receipt time, whatever still cannot be tied to a conversation. A part that fails stays as it
 * was. Oldest first; `since` limits it to parts received from then on. Parts quarantined again by this run are
 * not taken up a second time (the run works on the parts that were waiting when it started).
 */
export async function reprocessQuarantinedDeliveries(
  deps: { db: Db; log?: Logger | undefined },
  options: { since?: Date | undefined } = {},
): Promise<ReprocessResult> {
  const channels = new ChannelDirectory(0);
  const keywords = new ConsentKeywordCache(0);
  const result: ReprocessResult = { reprocessed: 0, applied: 0, stillQuarantined: 0, failed: 0 };
  const waiting = await deps.db.webhookEvent.findMany({
    where: { AND: [UNHANDLED_QUARANTINE, ...(options.since ? [{ receivedAt: { gte: options.since } }] : [])] },
    orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
    select: { id: true },
  });
  for (let start = 0; start < waiting.length; start += CHUNK) {
    const ids = waiting.slice(start, start + CHUNK).map((w) => w.id);
    const rows = await deps.db.webhookEvent.findMany({
      where: { AND: [UNHANDLED_QUARANTINE, { id: { in: ids } }] },
      orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
    });
    for (const row of rows) {
      result.reprocessed++;
      const parsed = parseWebhookDelivery(row.payload);
      if (!parsed.ok) {
        result.failed++;
        deps.log?.warn({ webhookEventId: row.id, reason: parsed.reason }, "quarantined part is not a delivery; left");
        continue;
      }
      try {
        const applied = await applyWhatsAppDelivery(
          { db: deps.db, log: deps.log, channels, keywords },
          parsed.delivery,
          {
            receivedAt: row.receivedAt,
            handledWebhookEventId: row.id,
          },
        );
        result.stillQuarantined += applied.counts.quarantined;
        if (applied.counts.quarantined === 0) result.applied++;
        deps.log?.info(
          { webhookEventId: row.id, messages: applied.counts.messages, quarantined: applied.counts.quarantined },
          "quarantined part reprocessed",
        );
      } catch (err) {
        result.failed++;
        deps.log?.error({ err, webhookEventId: row.id }, "quarantined part could not be reprocessed; left");
      }
    }
  }
  return result;
}
