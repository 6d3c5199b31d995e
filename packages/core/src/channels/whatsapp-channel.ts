import { z } from "zod";
import { MESSAGES_VALUE_LISTS, readValueParts, type WebhookDelivery } from "@inbox/whatsapp";
import { SERVICE_WINDOW_MS } from "../conversations/window";
import { describeMessageElement, readErrors } from "../inbound/describe-message-element";
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
export const whatsAppChannel: ChannelAdapter<WhatsAppSettings, WebhookDelivery> = {
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
  normalizeInbound(delivery) {
    // Element by element, as the receiver stores them: an element that cannot be tied to a customer is left out
    // (the receiver quarantines it), one the inbox does not understand comes back as `unsupported`.
    return delivery.changes
      .filter((change) => change.field === "messages")
      .flatMap((change) => {
        const { lists } = readValueParts(change.value, MESSAGES_VALUE_LISTS);
        const valueErrors = readErrors(lists.errors);
        return lists.messages!.flatMap((raw) => {
          const described = describeMessageElement(raw, valueErrors);
          if (!described.ok) return [];
          const e = described.element;
          const profile = lists.contacts!.find((c) => {
            const contact = c as { wa_id?: unknown; user_id?: unknown };
            return (
              (!!e.sender.waId && contact.wa_id === e.sender.waId) ||
              (!!e.sender.userId && contact.user_id === e.sender.userId)
            );
          }) as { profile?: { name?: unknown } } | undefined;
          const profileName = profile?.profile?.name;
          return [
            {
              externalId: e.wamid,
              sender: {
                waId: e.sender.waId ?? undefined,
                userId: e.sender.userId ?? undefined,
                profileName: typeof profileName === "string" ? profileName : undefined,
              },
              type: e.type,
              text: e.text,
              sentAt: e.at ?? new Date(),
              replyToExternalId: e.replyToExternalId,
              media: e.media
                ? { providerMediaId: e.media.providerMediaId, mimeType: e.media.mimeType, filename: e.media.filename }
                : null,
            },
          ];
        });
      });
  },
};
