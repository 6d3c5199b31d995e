import type { DbTx, MediaAsset, Message, Prisma } from "@inbox/db";
import { enqueueInTransaction, jobIdFor } from "@inbox/jobs";
import { AppError } from "../errors/app-error";

/** An outbound message as a use case composed it, before it is stored. */
export interface OutboundMessageDraft {
  type: Message["type"];
  text: string | null;
  /** Idempotency key: a second draft with the same clientId in the conversation is not stored. */
  clientId: string;
  /** The agent sending; null for automations (auto replies, confirmations). */
  senderId: string | null;
  /** `queued` goes to the customer (a `message.send` job); `sent` is final at once (private notes). */
  status: "queued" | "sent";
  isPrivate?: boolean;
  payload?: Prisma.InputJsonObject;
  replyToExternalId?: string | null;
  templateName?: string | null;
  templateLanguage?: string | null;
  /** An uploaded attachment the message takes (it belongs to one message only). */
  mediaAssetId?: string;
}

export interface OutboundConversation {
  id: string;
  channelId: string;
  firstResponseAt: Date | null;
}

/**
 * The one way an outbound message comes into being, inside the caller's transaction: the row, the attachment it
 * takes, the conversation's activity (lastMessageAt, the first response of an agent) and — for a message to the
 * customer — its `message.send` job in the outbox, so the row and its job commit together or not at all.
 * Returns null when the conversation already has a message with the draft's clientId (nothing is stored then).
 */
export async function createOutboundMessage(
  tx: DbTx,
  conversation: OutboundConversation,
  draft: OutboundMessageDraft,
  now: Date,
): Promise<(Message & { media: MediaAsset[] }) | null> {
  const [created] = await tx.message.createManyAndReturn({
    data: [
      {
        conversationId: conversation.id,
        channelId: conversation.channelId,
        direction: "outbound",
        type: draft.type,
        text: draft.text,
        clientId: draft.clientId,
        senderId: draft.senderId,
        status: draft.status,
        isPrivate: draft.isPrivate ?? false,
        payload: draft.payload ?? {},
        replyToExternalId: draft.replyToExternalId ?? null,
        templateName: draft.templateName ?? null,
        templateLanguage: draft.templateLanguage ?? null,
      },
    ],
    skipDuplicates: true,
  });
  if (!created) return null;
  if (draft.mediaAssetId) {
    // The attachment belongs to one message: a second message cannot take it (unused, same channel).
    const claimed = await tx.mediaAsset.updateMany({
      where: { id: draft.mediaAssetId, messageId: null, channelId: conversation.channelId },
      data: { messageId: created.id },
    });
    if (claimed.count !== 1) throw new AppError("conflict", "The attachment was already sent with another message.");
  }
  const isFirstResponse = !conversation.firstResponseAt && draft.senderId !== null && !created.isPrivate;
  await tx.conversation.update({
    where: { id: conversation.id },
    data: isFirstResponse ? { lastMessageAt: now, firstResponseAt: now } : { lastMessageAt: now },
  });
  if (created.status === "queued") {
    await enqueueInTransaction(tx, [
      { name: "message.send", payload: { messageId: created.id }, jobId: jobIdFor("message.send", created.id) },
    ]);
  }
  const media = draft.mediaAssetId ? await tx.mediaAsset.findMany({ where: { messageId: created.id } }) : [];
  return { ...created, media };
}
