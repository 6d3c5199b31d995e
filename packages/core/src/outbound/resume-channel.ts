import type { Db } from "@inbox/db";
import { enqueueInTransaction, jobIdFor } from "@inbox/jobs";
import { recordAudit, type Actor } from "../audit/record-audit";
import { AppError } from "../errors/app-error";
import { isUuid } from "../shared/ids";

/**
 * Un-pauses a channel (e.g. after an admin renewed the access token) and re-enqueues every message that waited
 * in `queued` meanwhile — nothing paused is lost, nothing burned retries while paused. not_found for no channel.
 */
export async function resumeChannel(
  deps: { db: Db; onOutboxWritten: () => void },
  input: { channelId: string; actor: Actor },
): Promise<{ requeued: number }> {
  if (!isUuid(input.channelId)) throw new AppError("not_found", "No such channel.");
  const requeued = await deps.db.$transaction(async (tx) => {
    const { count } = await tx.channel.updateMany({
      where: { id: input.channelId },
      data: { status: "active", statusReason: null },
    });
    if (count === 0) throw new AppError("not_found", "No such channel.");
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
        jobId: jobIdFor("message.send", `${m.id}-resume-${stamp}`),
      })),
    );
    await recordAudit(tx, input.actor, "channel.resumed", "channel", input.channelId, { requeued: waiting.length });
    return waiting.length;
  });
  deps.onOutboxWritten();
  return { requeued };
}
