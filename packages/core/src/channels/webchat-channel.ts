import { z } from "zod";
import { WEBCHAT_MAX_TEXT } from "@inbox/contracts";
import type { ChannelAdapter } from "./channel-adapter";

const MB = 1024 * 1024;

/** An origin as browsers send it: scheme, host and optional port, nothing else. */
const WebOriginSchema = z
  .string()
  .trim()
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return (url.protocol === "https:" || url.protocol === "http:") && url.origin === value.replace(/\/$/, "");
      } catch {
        return false;
      }
    },
    { message: "must be an origin such as https://www.example.de (scheme and host, no path)" },
  )
  .transform((value) => new URL(value).origin);

const ColorSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/, "must be a colour like #0b7a75");

/** What admins configure per web chat channel (stored in Channel.settings). */
export const WebchatSettingsSchema = z.object({
  /** Pages on these origins may embed the widget; every other origin is refused. */
  allowedOrigins: z.array(WebOriginSchema).min(1, "at least one allowed origin is required").max(20),
  colors: z.object({ primary: ColorSchema, text: ColorSchema }).default({ primary: "#0b7a75", text: "#ffffff" }),
  /** Shown above the first message, per language. */
  greeting: z
    .object({ de: z.string().trim().max(500), en: z.string().trim().max(500) })
    .default({ de: "Hallo! Wie können wir helfen?", en: "Hello! How can we help?" }),
  /** Link to the company's privacy notice, shown next to the consent checkbox. */
  privacyUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** A WhatsApp channel the widget offers to "continue on WhatsApp" with (click-to-chat after consent). */
  whatsappChannelId: z.uuid().optional(),
});
export type WebchatSettings = z.infer<typeof WebchatSettingsSchema>;

/** Longest visitor or agent text on web chat. */
export const WEBCHAT_MAX_TEXT_LENGTH = WEBCHAT_MAX_TEXT;

/** A visitor's message as the widget sends it over its socket or POST. @public */
export const WebchatInboundSchema = z.object({
  visitorId: z.string().uuid(),
  /** The widget's own id for the message: a resend after a reconnect is stored once. */
  clientMessageId: z.string().uuid(),
  text: z.string().trim().min(1).max(WEBCHAT_MAX_TEXT_LENGTH).optional(),
  mediaAssetId: z.string().uuid().optional(),
  mimeType: z.string().optional(),
  filename: z.string().max(200).optional(),
  sentAt: z.date(),
});
export type WebchatInbound = z.infer<typeof WebchatInboundSchema>;

/**
 * The website chat. The visitor is connected to us over a websocket, so there is no service window and no
 * template: agents answer at any time, and replies are pushed to the visitor's socket (delivery `live`).
 */
export const webchatChannel: ChannelAdapter<WebchatSettings, WebchatInbound> = {
  type: "webchat",
  capabilities: {
    hasServiceWindow: false,
    serviceWindowMs: null,
    supportsTemplates: false,
    media: {
      image: { maxBytes: 5 * MB, mimeTypes: ["image/jpeg", "image/png", "image/webp", "image/gif"] },
      document: { maxBytes: 10 * MB, mimeTypes: ["application/pdf", "text/plain"] },
    },
    maxTextLength: WEBCHAT_MAX_TEXT_LENGTH,
    hasReadReceipts: true,
    hasTypingIndicator: true,
    delivery: "live",
  },
  settingsSchema: WebchatSettingsSchema,
  normalizeInbound(input) {
    const type = input.mediaAssetId ? (input.mimeType?.startsWith("image/") ? "image" : "document") : "text";
    return [
      {
        externalId: `webchat.${input.clientMessageId}`,
        sender: { externalId: input.visitorId },
        type,
        text: input.text ?? null,
        sentAt: input.sentAt,
        replyToExternalId: null,
        media: input.mediaAssetId
          ? { mediaAssetId: input.mediaAssetId, mimeType: input.mimeType ?? "", filename: input.filename ?? null }
          : null,
      },
    ];
  },
};
