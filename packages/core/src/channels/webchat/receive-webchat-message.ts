import type { WebchatMessageDto } from "@inbox/contracts";
import type { Db } from "@inbox/db";
import { enqueueInTransaction } from "@inbox/jobs";
import { AppError } from "../../errors/app-error";
import { openConversation } from "../../inbound/open-conversation";
import { findCurrentConsents } from "../../outbound/find-current-consents";
import { WEBCHAT_MAX_TEXT_LENGTH, webchatChannel } from "../webchat-channel";
import { toWebchatMessageDto } from "./visitor-messages";

export interface ReceiveWebchatMessageInput {
  channel: { id: string; defaultTeamId: string | null };
  visitorId: string;
  clientMessageId: string;
  text: string;
  now: Date;
}

export interface ReceivedWebchatMessage {
  message: WebchatMessageDto;
  messageId: string;
  conversationId: string;
  /** False when the clientMessageId was stored before (a resend): nothing new happened. */
  isNew: boolean;
  /** The transaction wrote outbox rows (a new conversation's routing job). */
  wroteOutbox: boolean;
}

/**
 * A visitor's message: stored like every inbound message — the contact's active conversation (or a reopened or new
 * one, routed like any other), unread count, window fields — once per clientMessageId. Only after consent.
 */
export async function receiveWebchatMessage(
  db: Db,
  input: ReceiveWebchatMessageInput,
): Promise<ReceivedWebchatMessage> {
  const text = input.text.trim();
  if (!text) throw new AppError("validation_failed", "The message is empty.");
  if (text.length > WEBCHAT_MAX_TEXT_LENGTH) {
    throw new AppError(
      "payload_too_large",
      `The message is too long: at most ${WEBCHAT_MAX_TEXT_LENGTH} characters (it has ${text.length}).`,
      { maxLength: WEBCHAT_MAX_TEXT_LENGTH },
    );
  }
  const [normalized] = webchatChannel.normalizeInbound({
    visitorId: input.visitorId,
    clientMessageId: input.clientMessageId,
    text,
    sentAt: input.now,
  });
  const externalId = normalized!.externalId;
  return db.$transaction(async (tx) => {
    const contacts = await tx.$queryRaw<{ id: string; erasedAt: Date | null }[]>`
      SELECT id, "erasedAt" FROM "Contact"
       WHERE "channelId" = ${input.channel.id}::uuid AND "externalId" = ${input.visitorId}
       FOR UPDATE`;
    const contact = contacts[0];
    const consents = contact && !contact.erasedAt ? await findCurrentConsents(tx, contact.id) : [];
    if (!contact || !consents.some((c) => c.purpose === "service" && c.status === "granted")) {
      throw new AppError("consent_required", "Please accept the privacy notice before writing.");
    }
    const existing = await tx.message.findUnique({
      where: { channelId_externalId: { channelId: input.channel.id, externalId } },
    });
    if (existing) {
      return {
        message: toWebchatMessageDto(existing),
        messageId: existing.id,
        conversationId: existing.conversationId,
        isNew: false,
        wroteOutbox: false,
      };
    }
    const conversation = await openConversation(tx, {
      channelId: input.channel.id,
      contactId: contact.id,
      defaultTeamId: input.channel.defaultTeamId,
      lastInboundAt: input.now,
      unread: 1,
    });
    const message = await tx.message.create({
      data: {
        conversationId: conversation.id,
        channelId: input.channel.id,
        direction: "inbound",
        type: normalized!.type,
        text,
        externalId,
        status: "received",
        providerTimestamp: input.now,
        createdAt: input.now,
      },
    });
    await tx.contact.update({ where: { id: contact.id }, data: { lastSeenAt: input.now } });
    if (conversation.isNew) {
      await enqueueInTransaction(tx, [
        {
          name: "conversation.route",
          payload: { conversationId: conversation.id },
          jobId: `conversation.route-${conversation.id}`,
        },
      ]);
    }
    return {
      message: toWebchatMessageDto(message),
      messageId: message.id,
      conversationId: conversation.id,
      isNew: true,
      wroteOutbox: conversation.isNew,
    };
  });
}
