import { z } from "zod";

/**
 * The website chat's public API (`/webchat/:key/…`, used by the embeddable widget) and the admin API for web chat
 * channels. The widget authenticates with the visitor token it got from POST /webchat/:key/sessions.
 */
export const WEBCHAT_MAX_TEXT = 2000;

export const WebchatLanguageSchema = z.enum(["de", "en"]);
export type WebchatLanguage = z.infer<typeof WebchatLanguageSchema>;

/** A message as the visitor sees it (no agent ids, no error details, no private notes). */
export const WebchatMessageDtoSchema = z.object({
  id: z.string(),
  direction: z.enum(["inbound", "outbound"]),
  type: z.string(),
  text: z.string().nullable(),
  status: z.string(),
  /** The widget's id for a visitor message (inbound), so a resend after a reconnect is recognised. */
  clientMessageId: z.string().nullable(),
  /**
   * The message's attachment (a visitor's upload or an agent's file), fetched with the visitor token from
   * `GET /webchat/:key/media/:id`; null for text.
   */
  media: z
    .object({ id: z.string(), mimeType: z.string(), filename: z.string().nullable(), sizeBytes: z.number().nullable() })
    .nullable(),
  createdAt: z.iso.datetime(),
});
export type WebchatMessageDto = z.infer<typeof WebchatMessageDtoSchema>;

export const WebchatAppearanceSchema = z.object({
  name: z.string(),
  colors: z.object({ primary: z.string(), text: z.string() }),
  greeting: z.string(),
  privacyUrl: z.string().nullable(),
  /** The widget offers "continue on WhatsApp". */
  hasWhatsApp: z.boolean(),
});

export const StartWebchatSessionBodySchema = z.object({
  /** A token from an earlier visit: the thread continues. */
  token: z.string().max(512).optional(),
  language: WebchatLanguageSchema.default("en"),
});
export const WebchatSessionDtoSchema = z.object({
  token: z.string(),
  expiresAt: z.iso.datetime(),
  appearance: WebchatAppearanceSchema,
  consent: z.object({
    hasConsent: z.boolean(),
    wording: z.object({ language: WebchatLanguageSchema, version: z.number().int(), text: z.string() }),
  }),
  messages: z.array(WebchatMessageDtoSchema),
});
export type WebchatSessionDto = z.infer<typeof WebchatSessionDtoSchema>;

export const WebchatConsentBodySchema = z.object({
  /** The wording version the visitor saw and ticked. */
  wordingVersion: z.number().int().min(0),
  language: WebchatLanguageSchema,
});

export const SendWebchatMessageBodySchema = z.object({
  clientMessageId: z.uuid(),
  /** Length is checked by the server with a clear `payload_too_large` error (not a schema error). */
  text: z
    .string()
    .min(1)
    .max(64 * 1024),
});

/** Sent by the server on the visitor's socket. */
/** What `POST /webchat/:key/attachments` accepts besides the file (query string; the body is the file). */
export const WebchatAttachmentQuerySchema = z.object({
  /** The widget's id for the message: a retried upload is stored once. */
  clientMessageId: z.uuid(),
});

export type WebchatServerFrame =
  | { type: "ready" }
  | { type: "message"; message: WebchatMessageDto }
  | { type: "typing" }
  | { type: "read" }
  | { type: "error"; code: string; message: string };

/** Sent by the widget on its socket: authenticate first, then typing / read. */
export const WebchatClientFrameSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("auth"), token: z.string().max(512) }),
  z.object({ type: z.literal("read") }),
]);
export type WebchatClientFrame = z.infer<typeof WebchatClientFrameSchema>;

const OriginSchema = z.string().trim().min(1).max(200);
export const WebchatSettingsBodySchema = z.object({
  allowedOrigins: z.array(OriginSchema).min(1).max(20),
  colors: z
    .object({ primary: z.string().regex(/^#[0-9a-fA-F]{6}$/), text: z.string().regex(/^#[0-9a-fA-F]{6}$/) })
    .optional(),
  greeting: z.object({ de: z.string().max(500), en: z.string().max(500) }).optional(),
  privacyUrl: z.url().optional(),
  whatsappChannelId: z.uuid().optional(),
});
export const CreateWebchatChannelBodySchema = z.object({
  name: z.string().trim().min(1).max(80),
  settings: WebchatSettingsBodySchema,
});
export const UpdateWebchatChannelBodySchema = z.object({
  name: z.string().trim().min(1).max(80).optional(),
  settings: WebchatSettingsBodySchema.optional(),
});
export const WebchatChannelDtoSchema = z.object({
  id: z.string(),
  name: z.string(),
  key: z.string(),
  status: z.string(),
  settings: z.object({
    allowedOrigins: z.array(z.string()),
    colors: z.object({ primary: z.string(), text: z.string() }),
    greeting: z.object({ de: z.string(), en: z.string() }),
    privacyUrl: z.string().optional(),
    whatsappChannelId: z.string().optional(),
  }),
  /** The `<script>` tag to paste into the website. */
  snippet: z.string(),
  createdAt: z.iso.datetime(),
});
export type WebchatChannelDto = z.infer<typeof WebchatChannelDtoSchema>;

export const WhatsAppHandoffBodySchema = z.object({
  wordingVersion: z.number().int().min(0),
  language: WebchatLanguageSchema,
});
/** "Continue on WhatsApp": the wa.me link with the prefilled reference, and the same as a QR code (SVG). */
export const WhatsAppHandoffDtoSchema = z.object({
  reference: z.string(),
  url: z.string(),
  qrSvg: z.string(),
});
export type WhatsAppHandoffDto = z.infer<typeof WhatsAppHandoffDtoSchema>;

/** An admin's plain click-to-chat link and QR code for a WhatsApp number. */
export const ClickToChatDtoSchema = z.object({ url: z.string(), qrSvg: z.string(), displayNumber: z.string() });
export type ClickToChatDto = z.infer<typeof ClickToChatDtoSchema>;
