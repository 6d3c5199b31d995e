import { createHash } from "node:crypto";
import type { DbTx, Prisma } from "@inbox/db";

/** Meta redelivers for up to 7 days; the same content later is a new event (an account update repeated, say). */
const REDELIVERY_WINDOW_MS = 7 * 24 * 3600_000;

/**
 * Meta redelivers a webhook until it got a 200, and may deliver one twice; messages and statuses are kept once by
 * their keys (wamid; wamid + status). The other parts a delivery leaves as WebhookEvent rows — fields kept for the
 * record, WhatsApp's marketing preferences, quarantined parts — have no key of Meta's, so their content is the key:
 * the sha256 of field, channel and JSON. A redelivery is byte for byte the same, so its parts find their rows.
 */
function webhookContentKey(row: Pick<Prisma.WebhookEventCreateManyInput, "field" | "channelId" | "payload">) {
  return createHash("sha256")
    .update(`${row.field}\n${row.channelId ?? ""}\n${JSON.stringify(row.payload)}`)
    .digest("hex");
}

/**
 * Whether a part with this content is kept already: a row for the record (or an applied preference) with the key
 * received within Meta's redelivery window, or — for a quarantined part — one still waiting (a part reprocessed and quarantined again is a new row; its old
 * row is handled). Takes a transaction-scoped advisory lock on the key first, so two concurrent deliveries of the
 * same part cannot both find nothing and both store it.
 */
async function isContentKept(tx: DbTx, key: string, kind: "record" | "quarantine"): Promise<boolean> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
  const kept = await tx.webhookEvent.findFirst({
    where:
      kind === "record"
        ? { contentKey: key, quarantineReason: null, receivedAt: { gte: new Date(Date.now() - REDELIVERY_WINDOW_MS) } }
        : { contentKey: key, quarantineReason: { not: null }, handledAt: null },
    select: { id: true },
  });
  return kept !== null;
}

/** The rows not kept yet (each content once, also within the batch), each with its key. */
export async function withoutKeptContent(
  tx: DbTx,
  rows: Prisma.WebhookEventCreateManyInput[],
  seen: Set<string>,
): Promise<Prisma.WebhookEventCreateManyInput[]> {
  const fresh: Prisma.WebhookEventCreateManyInput[] = [];
  for (const row of rows) {
    const key = webhookContentKey(row);
    const kind = row.quarantineReason ? "quarantine" : "record";
    if (seen.has(`${kind}:${key}`)) continue;
    seen.add(`${kind}:${key}`);
    if (await isContentKept(tx, key, kind)) continue;
    fresh.push({ ...row, contentKey: key });
  }
  return fresh;
}
