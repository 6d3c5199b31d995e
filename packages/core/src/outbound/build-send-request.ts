import type { Message } from "@inbox/db";
import { OUTBOUND_MEDIA_TYPES, type SendMessageRequest, type TemplateComponentParameters } from "@inbox/whatsapp";
import { orderedTemplateParameters } from "./template-parameters";

export interface Recipient {
  waId: string | null;
  userId: string | null;
}

interface StoredTemplatePayload {
  template?: {
    name?: string;
    language?: string;
    parameters?: Record<string, string>;
    /** Meta's wire components, built when the message was queued (absent on messages queued before they were). */
    components?: TemplateComponentParameters[];
  };
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
    const language = { policy: "deterministic" as const, code: stored.language ?? message.templateLanguage ?? "" };
    const name = stored.name ?? message.templateName ?? "";
    if (stored.components) {
      const mediaId = (message.payload as StoredMediaPayload | null)?.media?.id;
      const components = stored.components.map((c) => withUploadedHeaderMedia(c, mediaId));
      return { ...base, type: "template", template: { name, language, ...(components.length ? { components } : {}) } };
    }
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

/** A header media parameter without a link refers to the uploaded attachment: its Meta id goes in at send time. */
function withUploadedHeaderMedia(
  component: TemplateComponentParameters,
  mediaId: string | undefined,
): TemplateComponentParameters {
  if (component.type !== "header" || !component.parameters) return component;
  return {
    ...component,
    parameters: component.parameters.map((p) => {
      const key = p.type as "image" | "video" | "document";
      if (!["image", "video", "document"].includes(key)) return p;
      const object = (p as Record<string, unknown>)[key] as { link?: string; filename?: string } | undefined;
      if (object?.link) return p;
      if (!mediaId) throw new Error("header media not uploaded to Meta yet");
      return { ...p, [key]: { ...object, id: mediaId } };
    }),
  };
}
