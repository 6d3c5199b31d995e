import type { Message } from "@inbox/db";
import { OUTBOUND_MEDIA_TYPES, type SendMessageRequest, type TemplateComponentParameters } from "@inbox/whatsapp";
import { orderedTemplateParameters } from "./queue-outbound-message";
import type { StoredTemplateSend } from "./prepare-template-send";

export interface Recipient {
  waId: string | null;
  userId: string | null;
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
    const stored = (message.payload as { template?: Partial<StoredTemplateSend> }).template ?? {};
    const components = templateComponents(stored);
    return {
      ...base,
      type: "template",
      template: {
        name: stored.name ?? message.templateName ?? "",
        language: { policy: "deterministic", code: stored.language ?? message.templateLanguage ?? "" },
        ...(components.length ? { components } : {}),
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

/**
 * Meta's `components` of a template send: the header value (text with `parameter_name` for named templates, or the
 * media by Meta id or link), body values in the template's order (named ones with `parameter_name`), then one
 * component per button that takes a value (`sub_type` url with the suffix, quick_reply with its payload).
 */
export function templateComponents(stored: Partial<StoredTemplateSend>): TemplateComponentParameters[] {
  const components: TemplateComponentParameters[] = [];
  const header = stored.header;
  if (header?.type === "text") {
    components.push({
      type: "header",
      parameters: [
        { type: "text", text: header.text, ...(header.parameterName ? { parameter_name: header.parameterName } : {}) },
      ],
    });
  } else if (header) {
    const media = header.id ? { id: header.id } : { link: header.link ?? "" };
    const filename = header.type === "document" && header.filename ? { filename: header.filename } : {};
    components.push({ type: "header", parameters: [{ type: header.type, [header.type]: { ...media, ...filename } }] });
  }
  const parameters = orderedTemplateParameters(stored.parameters ?? {});
  if (parameters.length) {
    components.push({
      type: "body",
      parameters: parameters.map((p) =>
        /^\d+$/.test(p.name)
          ? { type: "text", text: p.value }
          : { type: "text", parameter_name: p.name, text: p.value },
      ),
    });
  }
  for (const button of stored.buttons ?? []) {
    components.push({
      type: "button",
      sub_type: button.subType,
      index: String(button.index),
      parameters:
        button.subType === "url"
          ? [{ type: "text", text: button.text ?? "" }]
          : [{ type: "payload", payload: button.payload ?? "" }],
    });
  }
  return components;
}
