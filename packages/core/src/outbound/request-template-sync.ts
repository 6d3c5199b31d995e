import type { Db } from "@inbox/db";
import { enqueueInTransaction } from "@inbox/jobs";
import { recordAudit, type Actor } from "../audit/record-audit";

/** On-demand template sync: one `template.sync` job per WhatsApp channel with a WABA id (via the outbox). */
export async function requestTemplateSync(
  deps: { db: Db; onOutboxWritten?: () => void },
  input: { actor: Actor; channelId?: string | undefined },
): Promise<{ channelIds: string[] }> {
  const channels = await deps.db.channel.findMany({
    where: { type: "whatsapp", accountId: { not: null }, ...(input.channelId ? { id: input.channelId } : {}) },
    select: { id: true },
  });
  const stamp = Date.now();
  await deps.db.$transaction(async (tx) => {
    await enqueueInTransaction(
      tx,
      channels.map((c) => ({
        name: "template.sync" as const,
        payload: { channelId: c.id },
        jobId: `template.sync-${c.id}-${stamp}`,
      })),
    );
    await recordAudit(tx, input.actor, "templates.sync_requested", "channel", input.channelId ?? null, {
      channels: channels.length,
    });
  });
  deps.onOutboxWritten?.();
  return { channelIds: channels.map((c) => c.id) };
}
