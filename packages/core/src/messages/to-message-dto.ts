import type { MessageDto } from "@inbox/contracts";
import type { MediaAsset, Message } from "@inbox/db";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The stored message as the console sees it. */
export function toMessageDto(
  message: Message & { media?: Pick<MediaAsset, "id" | "mimeType" | "filename" | "sizeBytes" | "status">[] },
): MessageDto {
  return {
    id: message.id,
    conversationId: message.conversationId,
    direction: message.direction,
    type: message.type,
    text: message.text,
    payload: (message.payload ?? {}) as Record<string, unknown>,
    status: message.status,
    externalId: message.externalId,
    clientId: message.clientId,
    isPrivate: message.isPrivate,
    senderId: message.senderId,
    replyToExternalId: message.replyToExternalId,
    errorCode: message.errorCode,
    errorTitle: message.errorTitle,
    errorDetails: message.errorDetails,
    templateName: message.templateName,
    media: (message.media ?? []).map((m) => ({
      id: m.id,
      mimeType: m.mimeType,
      filename: m.filename,
      sizeBytes: m.sizeBytes,
      status: m.status,
    })),
    sentAt: iso(message.sentAt),
    deliveredAt: iso(message.deliveredAt),
    readAt: iso(message.readAt),
    failedAt: iso(message.failedAt),
    createdAt: message.createdAt.toISOString(),
  };
}
