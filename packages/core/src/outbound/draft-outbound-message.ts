import type { SendMessageBody } from "@inbox/contracts";
import type { Db } from "@inbox/db";
import { AppError } from "../errors/app-error";
import { OUTBOUND_MEDIA_LIMITS, type AttachmentType } from "../media/classify-attachment";
import type { OutboundMessageDraft } from "../messages/create-outbound-message";
import { isUuid } from "../shared/ids";
import { evaluateSendPolicy } from "./evaluate-send-policy";
import { renderTemplateText } from "./template-parameters";

export interface DraftInput {
  conversation: { channelId: string; contactId: string; lastInboundAt: Date | null };
  body: SendMessageBody;
  senderId: string | null;
  isOptOutConfirmation: boolean;
  now: Date;
}

/**
 * What an agent's (or an automation's) message body becomes as a stored message: a private note as it is; anything
 * for the customer only after the send rules allowed it (opt-out, 24 h window, consent for the template's purpose),
 * as text, media (an uploaded attachment of this channel that fits the type) or template (parameters complete).
 */
export async function draftOutboundMessage(db: Db, input: DraftInput): Promise<OutboundMessageDraft> {
  const { body, conversation } = input;
  const common = { clientId: body.clientId, senderId: input.senderId };
  if (body.type === "note") return { ...common, type: "note", text: body.text, isPrivate: true, status: "sent" };

  const { decision, template } = await evaluateSendPolicy(db, {
    channelId: conversation.channelId,
    contactId: conversation.contactId,
    lastInboundAt: conversation.lastInboundAt,
    now: input.now,
    kind: body.type === "template" ? "template" : "free_form",
    template: body.type === "template" ? body.template : undefined,
    isOptOutConfirmation: input.isOptOutConfirmation,
  });
  if (!decision.ok) throw new AppError(decision.code, decision.reason);
  const queued = { ...common, status: "queued" as const };

  if (body.type === "text") {
    return {
      ...queued,
      type: "text",
      text: body.text,
      replyToExternalId: body.replyTo ?? null,
      payload: { isOptOutConfirmation: input.isOptOutConfirmation },
    };
  }
  if (body.type === "template") {
    const tpl = template!;
    const given = Object.keys(body.template.parameters).length;
    if (given !== tpl.parameterCount) {
      throw new AppError(
        "validation_failed",
        `Template "${tpl.name}" expects ${tpl.parameterCount} parameter(s), ${given} given.`,
      );
    }
    return {
      ...queued,
      type: "template",
      text: renderTemplateText(tpl, body.template.parameters),
      templateName: tpl.name,
      templateLanguage: tpl.language,
      payload: {
        template: { name: tpl.name, language: tpl.language, parameters: body.template.parameters },
        category: tpl.category,
        businessInitiated: decision.businessInitiated,
        isOptOutConfirmation: input.isOptOutConfirmation,
      },
    };
  }
  if (body.caption && (body.type === "audio" || body.type === "sticker")) {
    throw new AppError(
      "validation_failed",
      "WhatsApp does not show captions on audio or stickers: send the text separately.",
    );
  }
  const asset = await findSendableAsset(db, body.mediaId, conversation.channelId, body.type);
  const media = {
    mediaAssetId: asset.id,
    ...(body.caption ? { caption: body.caption } : {}),
    ...(body.type === "document" ? { filename: body.filename || asset.filename || "document" } : {}),
  };
  return { ...queued, type: body.type, text: body.caption || null, payload: { media }, mediaAssetId: asset.id };
}

/** An uploaded, unused attachment of the conversation's channel whose content fits the requested message type. */
async function findSendableAsset(db: Db, mediaId: string, channelId: string, type: AttachmentType) {
  const asset = isUuid(mediaId) ? await db.mediaAsset.findUnique({ where: { id: mediaId } }) : null;
  if (!asset || asset.channelId !== channelId || asset.status !== "stored" || !asset.storageKey) {
    throw new AppError("validation_failed", "The attachment was not found; upload it again.");
  }
  if (asset.messageId) throw new AppError("conflict", "The attachment was already sent with another message.");
  const allowed = [
    ...OUTBOUND_MEDIA_LIMITS[type].mimeTypes,
    ...(type === "document" ? OUTBOUND_MEDIA_LIMITS.image.mimeTypes : []),
  ];
  if (!allowed.includes(asset.mimeType)) {
    throw new AppError("unsupported_media_type", `A ${asset.mimeType} file cannot be sent as ${type}.`);
  }
  return asset;
}
