import { markFailed } from "./message-send-state";
import type { SendOutcome, SendQueuedMessageDeps, SendQueuedMessageInput } from "./send-deps";
import { RetryableSendError, UNCONFIRMED_REASON } from "./send-errors";

/**
 * A claim this old that never reached Graph (no sendStartedAt) belongs to a job that died while it waited for its
 * send slot: the message is taken over and sent. A live job waits at most `maxInlineWaitMs` for a slot, except on
 * its last attempt; if a live job's claim is taken over anyway, its own mark fails and it sends nothing.
 */
export const ORPHANED_CLAIM_MS = 60_000;

/**
 * Why a message could not be claimed — the slow path, one more read — and what follows from it: a message with a
 * wamid or past `sending` is never sent again; a claim that never reached Graph is waited out, then taken over and
 * sent (`sendAgain`); a message handed to Graph without a wamid waits `reconcileGraceMs` for a status webhook, then
 * fails as "unconfirmed" (never re-sent, no double sends); a paused channel leaves it queued.
 */
export async function reconcileUnclaimed(
  deps: Pick<SendQueuedMessageDeps, "db" | "log" | "clock" | "reconcileGraceMs">,
  input: SendQueuedMessageInput,
  sendAgain: () => Promise<SendOutcome>,
): Promise<SendOutcome> {
  const { db, log, clock } = deps;
  const message = await db.message.findUnique({ where: { id: input.messageId }, include: { channel: true } });
  if (!message) return { outcome: "skipped", reason: "not_found" };
  if (message.direction !== "outbound" || message.isPrivate) return { outcome: "skipped", reason: "not_outbound" };
  if (message.externalId || (message.status !== "queued" && message.status !== "sending")) {
    return { outcome: "skipped", reason: "already_sent" };
  }
  if (message.status === "sending" && !message.sendStartedAt) {
    // Claimed, never handed to Graph: nothing was sent. Wait out a claim that may still be a live job's, then take
    // the message over (the old claim's mark then fails, so it cannot be sent twice).
    const claimedFor = clock().getTime() - message.statusAt.getTime();
    if (claimedFor < ORPHANED_CLAIM_MS) {
      throw new RetryableSendError(
        "awaiting_claim",
        "claimed by another attempt that has not sent it yet",
        ORPHANED_CLAIM_MS - claimedFor,
      );
    }
    const { count } = await db.message.updateMany({
      where: { id: message.id, status: "sending", externalId: null, sendStartedAt: null, attempts: message.attempts },
      data: { status: "queued", statusAt: clock() },
    });
    if (count === 1) {
      log.info({ messageId: message.id }, "claim of a job that died before sending taken over; sending");
      return sendAgain();
    }
    return { outcome: "skipped", reason: "claimed_elsewhere" };
  }
  if (message.status === "sending") {
    const startedAt = message.sendStartedAt?.getTime() ?? message.statusAt.getTime();
    const waited = clock().getTime() - startedAt;
    if (waited < deps.reconcileGraceMs && !input.isLastAttempt) {
      throw new RetryableSendError(
        "awaiting_status",
        "send outcome unknown; waiting for a status webhook",
        deps.reconcileGraceMs - waited,
      );
    }
    log.warn({ messageId: message.id }, "send outcome unknown after the grace period; marked failed, not re-sent");
    await markFailed(db, message, { code: null, title: "delivery_unconfirmed", reason: UNCONFIRMED_REASON }, clock());
    return { outcome: "failed", code: "delivery_unconfirmed" };
  }
  if (message.channel.status !== "active") {
    // Left queued: resumeChannel re-enqueues it when an admin fixed the token. Nothing burns retries meanwhile.
    log.info({ messageId: message.id, channelId: message.channel.id }, "channel paused; message stays queued");
    return { outcome: "channel_paused" };
  }
  return { outcome: "skipped", reason: "claimed_elsewhere" };
}
