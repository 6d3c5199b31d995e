import type { Db } from "@inbox/db";
import { enqueueInTransaction } from "@inbox/jobs";
import { recordAudit, type Actor } from "../audit/record-audit";

/**
 * Un-pauses a channel (e.g. after an admin renewed the access token) and re-enqueues every message that waited
 * in `queued` meanwhile — nothing paused is lost, nothing burned retries while paused.
 */
export async function resumeChannel(
  deps: { db: Db; onOutboxWritten?: () => void },
  input: { channelId: string; actor: Actor },
): Promise<{ requeued: number }> {
  const requeued = await deps.db.$transaction(async (tx) => {
    await tx.channel.update({ where: { id: input.channelId }, data: { status: "active", statusReason: null } });
    const waiting = await tx.message.findMany({
      where: { channelId: input.channelId, direction: "outbound", status: "queued", isPrivate: false },
      select: { id: true },
    });
    const stamp = Date.now();
    await enqueueInTransaction(
      tx,
      waiting.map((m) => ({
        name: "message.send" as const,
        payload: { messageId: m.id },
        jobId: `message.send-${m.id}-resume-${stamp}`,
      })),
    );
    await recordAudit(tx, input.actor, "channel.resumed", "channel", input.channelId, { requeued: waiting.length });
    return waiting.length;
  });
  deps.onOutboxWritten?.();
  return { requeued };
}
