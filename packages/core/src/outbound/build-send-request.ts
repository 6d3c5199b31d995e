import type { Message } from "@inbox/db";
import { OUTBOUND_MEDIA_TYPES, type SendMessageRequest } from "@inbox/whatsapp";
import { orderedTemplateParameters } from "./template-parameters";

export interface Recipient {
  waId: string | null;
  userId: string | null;
}

interface StoredTemplatePayload {
  template?: { name?: string; language?: string; parameters?: Record<string, string> };
}

interface StoredMediaPayload {
  media?: { mediaAssetId?: string; id?: string; caption?: string; filename?: string };
}

const isOutboundMediaType = (type: string): type is (typeof OUTBOUND_MEDIA_TYPES)[number] =>
  (OUTBOUND_MEDIA_TYPES as readonly string[]).includes(type);

/**
 * The Graph API body for a stored outbound message. `biz_opaque_callback_data` carries our message id, so a
 * status webhook can link the wamid even when the worker died before recording it.
 */
export function buildSendRequest(message: Message, recipient: Recipient): SendMessageRequest {
  // Meta wants "+" and the country code; without "+" it would prepend the business number's country code.
  const to = recipient.waId ? `+${recipient.waId.replace(/^\+/, "")}` : recipient.userId;
  if (!to) throw new Error("contact has neither a phone number nor a business-scoped user id");
  const base = {
    messaging_product: "whatsapp" as const,
    recipient_type: "individual" as const,
    to,
    biz_opaque_callback_data: message.id,
    ...(message.replyToExternalId ? { context: { message_id: message.replyToExternalId } } : {}),
  };
  if (message.type === "template") {
    const stored = (message.payload as StoredTemplatePayload).template ?? {};
    const parameters = orderedTemplateParameters(stored.parameters ?? {});
    return {
      ...base,
      type: "template",
      template: {
        name: stored.name ?? message.templateName ?? "",
        language: { policy: "deterministic", code: stored.language ?? message.templateLanguage ?? "" },
        ...(parameters.length
          ? {
              components: [
                {
                  type: "body",
                  parameters: parameters.map((p) =>
                    /^\d+$/.test(p.name)
                      ? { type: "text", text: p.value }
                      : { type: "text", parameter_name: p.name, text: p.value },
                  ),
                },
              ],
            }
          : {}),
      },
    };
  }
  if (message.type === "text") {
    return { ...base, type: "text", text: { body: message.text ?? "", preview_url: false } };
  }
  const media = (message.payload as StoredMediaPayload | null)?.media;
  if (isOutboundMediaType(message.type) && media) {
    // Meta's media id, set by uploadOutboundMedia right before the send.
    if (!media.id) throw new Error("media not uploaded to Meta yet");
    const content = {
      id: media.id,
      ...(media.caption ? { caption: media.caption } : {}),
      ...(media.filename ? { filename: media.filename } : {}),
    };
    return { ...base, type: message.type, [message.type]: content } as SendMessageRequest;
  }
  throw new Error(`outbound message type ${message.type} is not sendable yet`);
}
