import { z } from "zod";
import type { WebhookPayload } from "@inbox/whatsapp";
import { getMessagesValues } from "@inbox/whatsapp";
import { SERVICE_WINDOW_MS } from "../conversations/window";
import { describeInboundMessage } from "../inbound/describe-inbound-message";
import { OUTBOUND_MEDIA_LIMITS } from "../media/classify-attachment";
import type { ChannelAdapter } from "./channel-adapter";

/** WhatsApp's settings are columns of Channel today (number, WABA id, throughput); the JSON holds nothing yet. */
const WhatsAppSettingsSchema = z.object({}).loose();
export type WhatsAppSettings = z.infer<typeof WhatsAppSettingsSchema>;

/**
 * The WhatsApp Cloud API channel. It wraps what exists: the webhook receiver (`applyWhatsAppDelivery`, issue of
 * the inbound pipeline) stores deliveries on its own optimised paths, and `message.send` jobs call the Graph API;
 * this adapter states the channel's capabilities and offers the normalised view of a delivery's messages.
 */
export const whatsAppChannel: ChannelAdapter<WhatsAppSettings, WebhookPayload> = {
  type: "whatsapp",
  capabilities: {
    hasServiceWindow: true,
    serviceWindowMs: SERVICE_WINDOW_MS,
    supportsTemplates: true,
    media: OUTBOUND_MEDIA_LIMITS,
    maxTextLength: 4096,
    hasReadReceipts: true,
    hasTypingIndicator: true,
    delivery: "provider",
  },
  settingsSchema: WhatsAppSettingsSchema,
  normalizeInbound(payload) {
    return getMessagesValues(payload).flatMap(({ value }) =>
      (value.messages ?? []).map((message) => {
        const described = describeInboundMessage(message);
        const profile = value.contacts?.find(
          (c) =>
            (!!message.from && c.wa_id === message.from) ||
            (!!message.from_user_id && c.user_id === message.from_user_id),
        );
        return {
          externalId: message.id,
          sender: {
            waId: message.from || undefined,
            userId: message.from_user_id,
            profileName: profile?.profile?.name,
          },
          type: message.type,
          text: described.text,
          sentAt: new Date(Number(message.timestamp) * 1000),
          replyToExternalId: described.replyToExternalId,
          media: described.media
            ? {
                providerMediaId: described.media.providerMediaId,
                mimeType: described.media.mimeType,
                filename: described.media.filename,
              }
            : null,
        };
      }),
    );
  },
};
