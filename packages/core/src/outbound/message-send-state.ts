import type { DbTx, Message } from "@inbox/db";
import type { FailureReason } from "./send-errors";

/** Puts a claimed message back to `queued` (nothing reached the customer), so a later attempt sends it. */
export async function unclaim(db: DbTx, messageId: string, now: Date): Promise<void> {
  await db.message.updateMany({
    where: { id: messageId, status: "sending", externalId: null },
    data: { status: "queued", sendStartedAt: null, statusAt: now },
  });
}

/** Ends a message that was never sent as `failed`, with the reason agents read (de/en) and Meta's code if any. */
export async function markFailed(
  db: DbTx,
  message: Pick<Message, "id">,
  failure: { code: number | null; title: string; reason: FailureReason },
  now: Date,
): Promise<void> {
  await db.message.updateMany({
    where: { id: message.id, externalId: null, status: { in: ["queued", "sending"] } },
    data: {
      status: "failed",
      statusAt: now,
      failedAt: now,
      errorCode: failure.code,
      errorTitle: failure.title,
      errorDetails: `${failure.reason.de}\n${failure.reason.en}`,
    },
  });
}
