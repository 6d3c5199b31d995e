import type { Db, Message, Prisma } from "@inbox/db";
import { recordConsent } from "../../consent/record-consent";
import { HANDOFF_REFERENCE_PATTERN } from "./start-whatsapp-handoff";

/**
 * The inbound hook of "continue on WhatsApp", called with the customer messages a delivery stored: one carrying an open
 * handoff's reference links the handoff to that message's contact and conversation and records the consent given
 * on the website on the WhatsApp contact (its wording, version and evidence, plus the message that proved the
 * number). Single use: a reference already linked or expired does nothing. Returns the handoffs linked. The messages
 * come as stored (no second reading of the delivery); most carry no reference and cost one pattern test.
 */
export async function linkWhatsAppHandoffs(
  db: Db,
  messages: Pick<Message, "id" | "channelId" | "externalId" | "text" | "direction">[],
  now: Date = new Date(),
): Promise<{ reference: string; contactId: string; conversationId: string }[]> {
  const candidates = messages.flatMap((message) => {
    const match = message.direction === "inbound" && message.text ? HANDOFF_REFERENCE_PATTERN.exec(message.text) : null;
    return match && message.externalId
      ? [{ reference: match[0], messageId: message.id, channelId: message.channelId, wamid: message.externalId }]
      : [];
  });
  const linked: { reference: string; contactId: string; conversationId: string }[] = [];
  for (const candidate of candidates) {
    const result = await db.$transaction(async (tx) => {
      const handoff = await tx.whatsAppHandoff.findUnique({ where: { reference: candidate.reference } });
      if (!handoff || handoff.linkedAt || handoff.expiresAt <= now) return null;
      // The reference counts only on the number the handoff was made for.
      if (candidate.channelId !== handoff.whatsappChannelId) return null;
      const message = await tx.message.findUnique({
        where: { id: candidate.messageId },
        select: { id: true, conversationId: true, conversation: { select: { contactId: true } } },
      });
      if (!message) return null;
      const claimed = await tx.whatsAppHandoff.updateMany({
        where: { id: handoff.id, linkedAt: null },
        data: {
          linkedAt: now,
          linkedContactId: message.conversation.contactId,
          linkedConversationId: message.conversationId,
          linkedMessageId: message.id,
        },
      });
      if (claimed.count !== 1) return null;
      const evidence = {
        ...(handoff.evidence as Prisma.JsonObject),
        handoffReference: handoff.reference,
        messageId: message.id,
        wamid: candidate.wamid,
        ...(handoff.webContactId ? { webContactId: handoff.webContactId } : {}),
      };
      await recordConsent(tx, {
        contactId: message.conversation.contactId,
        purposes: handoff.purposes,
        status: "granted",
        source: "widget",
        wording: { version: handoff.wordingVersion, text: handoff.wordingText },
        evidence,
        occurredAt: handoff.createdAt,
      });
      return {
        reference: handoff.reference,
        contactId: message.conversation.contactId,
        conversationId: message.conversationId,
      };
    });
    if (result) linked.push(result);
  }
  return linked;
}
