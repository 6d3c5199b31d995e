import {
  CAPTION_MAX_LENGTH,
  checkTemplateValues,
  describeTemplate,
  type SendMessageBody,
  type TemplateMediaFormat,
} from "@inbox/contracts";
import type { Db } from "@inbox/db";
import type { ChannelCapabilities } from "../channels/channel-adapter";
import type { ConsentState } from "../consent/consent-rules";
import { AppError } from "../errors/app-error";
import { OUTBOUND_MEDIA_LIMITS, type AttachmentType } from "../media/classify-attachment";
import type { OutboundMessageDraft } from "../messages/create-outbound-message";
import { isUuid } from "../shared/ids";
import { evaluateSendPolicy } from "./evaluate-send-policy";
import { buildTemplateComponents, renderTemplateText } from "./template-parameters";

export interface DraftInput {
  conversation: { channelId: string; contactId: string; lastInboundAt: Date | null };
  body: SendMessageBody;
  senderId: string | null;
  isOptOutConfirmation: boolean;
  now: Date;
  /** The conversation's channel: whether a window applies, the text limit, and how a message reaches the customer. */
  capabilities: ChannelCapabilities;
  /** The contact's current consents when the caller read them with the conversation (otherwise read here). */
  consents?: ConsentState[] | undefined;
}

/**
 * What an agent's (or an automation's) message body becomes as a stored message: a private note as it is; anything
 * for the customer only after the send rules allowed it (opt-out, 24 h window, consent for the template's purpose),
 * as text, media (an uploaded attachment of this channel that fits the type) or template (parameters complete).
 */
export async function draftOutboundMessage(db: Db, input: DraftInput): Promise<OutboundMessageDraft> {
  const { body, conversation } = input;
  if (body.type === "note") return draftNote(body, input.senderId);
  const common = { clientId: body.clientId, senderId: input.senderId };

  const { decision, template } = await evaluateSendPolicy(db, {
    channelId: conversation.channelId,
    contactId: conversation.contactId,
    lastInboundAt: conversation.lastInboundAt,
    now: input.now,
    kind: body.type === "template" ? "template" : "free_form",
    template: body.type === "template" ? body.template : undefined,
    isOptOutConfirmation: input.isOptOutConfirmation,
    capabilities: input.capabilities,
    consents: input.consents,
  });
  if (!decision.ok) throw new AppError(decision.code, decision.reason);
  const { maxTextLength, delivery } = input.capabilities;
  if (body.type === "text" && body.text.length > maxTextLength) {
    throw new AppError("text_too_long", `Messages on this channel hold at most ${maxTextLength} characters.`, {
      maxLength: maxTextLength,
      length: body.text.length,
    });
  }
  if (body.type !== "template" && "caption" in body && body.caption && body.caption.length > CAPTION_MAX_LENGTH) {
    throw new AppError("caption_too_long", `A caption holds at most ${CAPTION_MAX_LENGTH} characters.`, {
      maxLength: CAPTION_MAX_LENGTH,
      length: body.caption.length,
    });
  }
  // A live channel (web chat) has no provider call: the message is sent once stored, and its live event reaches the
  // customer's socket. A provider channel queues it for the worker's `message.send`.
  const queued =
    delivery === "live"
      ? { ...common, status: "sent" as const, sentAt: input.now }
      : { ...common, status: "queued" as const };

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
    const shape = describeTemplate(tpl.components);
    const values = body.template;
    const problems = checkTemplateValues(shape, values);
    if (problems.length) {
      throw new AppError(
        "template_parameters_invalid",
        `Template "${tpl.name}" does not fit the values given: ${problems.map((p) => `${p.field} ${p.code}`).join(", ")}.`,
        { problems },
      );
    }
    const headerFormat = shape.header?.format;
    const asset =
      values.headerMedia?.mediaId && headerFormat && headerFormat !== "TEXT" && headerFormat !== "LOCATION"
        ? await findSendableAsset(
            db,
            values.headerMedia.mediaId,
            conversation.channelId,
            headerAttachmentType(headerFormat),
          )
        : null;
    return {
      ...queued,
      type: "template",
      text: renderTemplateText(tpl, values.parameters),
      templateName: tpl.name,
      templateLanguage: tpl.language,
      ...(asset ? { mediaAssetId: asset.id } : {}),
      payload: {
        template: {
          name: tpl.name,
          language: tpl.language,
          parameters: values.parameters,
          components: buildTemplateComponents(shape, values, { filename: asset?.filename ?? null }),
        },
        ...(asset ? { media: { mediaAssetId: asset.id } } : {}),
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

/** A private note as it is stored: final at once (`sent`), for the team only; no send rule applies. */
export function draftNote(
  body: Extract<SendMessageBody, { type: "note" }>,
  senderId: string | null,
): OutboundMessageDraft {
  return { clientId: body.clientId, senderId, type: "note", text: body.text, isPrivate: true, status: "sent" };
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

function headerAttachmentType(format: TemplateMediaFormat): AttachmentType {
  return format === "IMAGE" ? "image" : format === "VIDEO" ? "video" : "document";
}
