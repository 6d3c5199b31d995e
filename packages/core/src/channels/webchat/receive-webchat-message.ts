import type { WebchatMessageDto } from "@inbox/contracts";
import type { Db } from "@inbox/db";
import { findCurrentConsents } from "../../consent/current-consents";
import { AppError } from "../../errors/app-error";
import { WEBCHAT_MAX_TEXT_LENGTH, webchatChannel } from "../webchat-channel";
import { storeVisitorMessage, toWebchatMessageDto } from "./visitor-messages";

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
 * A visitor's message: stored by the one inbound write path (`storeMessages`, as WhatsApp messages are) — the
 * contact's active conversation (or a reopened or new one, with its routing job), unread count, `lastInboundAt` —
 * once per clientMessageId. Only after consent.
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
    const created = await storeVisitorMessage(tx, input.channel, contact.id, {
      externalId,
      at: input.now,
      type: normalized!.type,
      text: text,
      payload: {},
    });
    const { row: message, conversation } = created;
    await tx.contact.update({ where: { id: contact.id }, data: { lastSeenAt: input.now } });
    return {
      message: toWebchatMessageDto(message),
      messageId: message.id,
      conversationId: conversation.id,
      isNew: true,
      wroteOutbox: conversation.isNew,
    };
  });
}
