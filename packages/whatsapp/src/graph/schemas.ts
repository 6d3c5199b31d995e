/**
 * Graph API request and response bodies of the Cloud API (send messages, media, templates, number settings).
 * Used by the product's Graph client and by the simulator, so both speak one wire format.
 * Sources: the team's Cloud API notes §5, §9, §10.
 */
import { z } from "zod";

export const MESSAGING_PRODUCT = "whatsapp";

// ---- send-message requests ------------------------------------------------------------------------------

export const TextContentSchema = z.looseObject({
  body: z.string().min(1).max(4096),
  preview_url: z.boolean().optional(),
});

/** Media by uploaded id or by public link (exactly one of them). */
export const MediaContentSchema = z
  .looseObject({
    id: z.string().min(1).optional(),
    link: z.url().optional(),
    caption: z.string().max(1024).optional(),
    filename: z.string().optional(),
    /** audio: render as voice message (OGG/Opus) */
    voice: z.boolean().optional(),
  })
  .refine((m) => Boolean(m.id) !== Boolean(m.link), { message: "exactly one of id or link is required" });
export type MediaContent = z.infer<typeof MediaContentSchema>;

export const TemplateParameterSchema = z.looseObject({
  /** text | currency | date_time | image | document | video | location | payload | coupon_code | … */
  type: z.string().min(1),
  parameter_name: z.string().optional(),
  text: z.string().optional(),
  payload: z.string().optional(),
  image: MediaContentSchema.optional(),
  document: MediaContentSchema.optional(),
  video: MediaContentSchema.optional(),
  currency: z.looseObject({ fallback_value: z.string(), code: z.string(), amount_1000: z.number() }).optional(),
  date_time: z.looseObject({ fallback_value: z.string() }).optional(),
  /** A LOCATION header's pin (Meta's examples give the coordinates as strings); checked by the receiver. */
  location: z
    .looseObject({
      latitude: z.union([z.string(), z.number()]).optional(),
      longitude: z.union([z.string(), z.number()]).optional(),
      name: z.string().optional(),
      address: z.string().optional(),
    })
    .optional(),
});
export type TemplateParameter = z.infer<typeof TemplateParameterSchema>;

export const TemplateComponentParametersSchema = z.looseObject({
  /** header | body | button | … (lower case on send) */
  type: z.string().min(1),
  sub_type: z.string().optional(),
  index: z.union([z.string(), z.number()]).optional(),
  parameters: z.array(TemplateParameterSchema).optional(),
});
export type TemplateComponentParameters = z.infer<typeof TemplateComponentParametersSchema>;

export const TemplateContentSchema = z.looseObject({
  name: z.string().min(1),
  language: z.looseObject({ code: z.string().min(2), policy: z.literal("deterministic").optional() }),
  components: z.array(TemplateComponentParametersSchema).optional(),
});
export type TemplateContent = z.infer<typeof TemplateContentSchema>;

const InteractiveTextSchema = z.looseObject({ text: z.string().min(1) });
const InteractiveHeaderSchema = z.looseObject({
  type: z.enum(["text", "image", "video", "document"]),
  text: z.string().optional(),
  image: MediaContentSchema.optional(),
  video: MediaContentSchema.optional(),
  document: MediaContentSchema.optional(),
});

export const InteractiveButtonContentSchema = z.looseObject({
  type: z.literal("button"),
  header: InteractiveHeaderSchema.optional(),
  body: InteractiveTextSchema,
  footer: InteractiveTextSchema.optional(),
  action: z.looseObject({
    buttons: z
      .array(
        z.looseObject({
          type: z.literal("reply"),
          reply: z.looseObject({ id: z.string().min(1).max(256), title: z.string().min(1).max(20) }),
        }),
      )
      .min(1)
      .max(3),
  }),
});

export const InteractiveListContentSchema = z.looseObject({
  type: z.literal("list"),
  header: InteractiveHeaderSchema.optional(),
  body: InteractiveTextSchema,
  footer: InteractiveTextSchema.optional(),
  action: z.looseObject({
    button: z.string().min(1).max(20),
    sections: z
      .array(
        z.looseObject({
          title: z.string().max(24).optional(),
          rows: z
            .array(
              z.looseObject({
                id: z.string().min(1).max(200),
                title: z.string().min(1).max(24),
                description: z.string().max(72).optional(),
              }),
            )
            .min(1),
        }),
      )
      .min(1)
      .max(10),
  }),
});

export const InteractiveContentSchema = z.discriminatedUnion("type", [
  InteractiveButtonContentSchema,
  InteractiveListContentSchema,
]);
export type InteractiveContent = z.infer<typeof InteractiveContentSchema>;

export const ReactionContentSchema = z.looseObject({ message_id: z.string().min(1), emoji: z.string() });

export const LocationContentSchema = z.looseObject({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  name: z.string().optional(),
  address: z.string().optional(),
});

export const ContactCardSchema = z.looseObject({
  name: z.looseObject({ formatted_name: z.string().min(1) }),
  phones: z
    .array(z.looseObject({ phone: z.string(), type: z.string().optional(), wa_id: z.string().optional() }))
    .optional(),
  emails: z.array(z.looseObject({ email: z.string(), type: z.string().optional() })).optional(),
  addresses: z.array(z.looseObject({})).optional(),
  org: z.looseObject({}).optional(),
  urls: z.array(z.looseObject({})).optional(),
  birthday: z.string().optional(),
});

const SendBaseSchema = z.looseObject({
  messaging_product: z.literal(MESSAGING_PRODUCT),
  recipient_type: z.enum(["individual", "group"]).optional(),
  /** phone number with + and country code, or (2026) a business-scoped user id */
  to: z.string().min(1),
  context: z.looseObject({ message_id: z.string().min(1) }).optional(),
  biz_opaque_callback_data: z.string().max(512).optional(),
});

export const SendTextRequestSchema = SendBaseSchema.extend({ type: z.literal("text"), text: TextContentSchema });
export const SendTemplateRequestSchema = SendBaseSchema.extend({
  type: z.literal("template"),
  template: TemplateContentSchema,
});
export const SendImageRequestSchema = SendBaseSchema.extend({ type: z.literal("image"), image: MediaContentSchema });
export const SendAudioRequestSchema = SendBaseSchema.extend({ type: z.literal("audio"), audio: MediaContentSchema });
export const SendVideoRequestSchema = SendBaseSchema.extend({ type: z.literal("video"), video: MediaContentSchema });
export const SendDocumentRequestSchema = SendBaseSchema.extend({
  type: z.literal("document"),
  document: MediaContentSchema,
});
export const SendStickerRequestSchema = SendBaseSchema.extend({
  type: z.literal("sticker"),
  sticker: MediaContentSchema,
});
export const SendInteractiveRequestSchema = SendBaseSchema.extend({
  type: z.literal("interactive"),
  interactive: InteractiveContentSchema,
});
export const SendReactionRequestSchema = SendBaseSchema.extend({
  type: z.literal("reaction"),
  reaction: ReactionContentSchema,
});
export const SendLocationRequestSchema = SendBaseSchema.extend({
  type: z.literal("location"),
  location: LocationContentSchema,
});
export const SendContactsRequestSchema = SendBaseSchema.extend({
  type: z.literal("contacts"),
  contacts: z.array(ContactCardSchema).min(1),
});

/** Body of `POST /{phone-number-id}/messages` for an outbound message. */
export const SendMessageRequestSchema = z.discriminatedUnion("type", [
  SendTextRequestSchema,
  SendTemplateRequestSchema,
  SendImageRequestSchema,
  SendAudioRequestSchema,
  SendVideoRequestSchema,
  SendDocumentRequestSchema,
  SendStickerRequestSchema,
  SendInteractiveRequestSchema,
  SendReactionRequestSchema,
  SendLocationRequestSchema,
  SendContactsRequestSchema,
]);
export type SendMessageRequest = z.infer<typeof SendMessageRequestSchema>;
export type OutboundMessageType = SendMessageRequest["type"];
export const OUTBOUND_MEDIA_TYPES = ["image", "audio", "video", "document", "sticker"] as const;

/** Body of `POST /{phone-number-id}/messages` marking an inbound message (and earlier ones) read. */
export const MarkReadRequestSchema = z.looseObject({
  messaging_product: z.literal(MESSAGING_PRODUCT),
  status: z.literal("read"),
  message_id: z.string().min(1),
  typing_indicator: z.looseObject({ type: z.literal("text") }).optional(),
});
export type MarkReadRequest = z.infer<typeof MarkReadRequestSchema>;

// ---- responses ------------------------------------------------------------------------------------------

/** "Accepted your request", not delivered: delivery comes as status webhooks. */
export const SendMessageResponseSchema = z.looseObject({
  messaging_product: z.literal(MESSAGING_PRODUCT),
  contacts: z.array(z.looseObject({ input: z.string(), wa_id: z.string().optional(), user_id: z.string().optional() })),
  messages: z.array(z.looseObject({ id: z.string().min(1), message_status: z.string().optional() })).min(1),
});
export type SendMessageResponse = z.infer<typeof SendMessageResponseSchema>;

export const SuccessResponseSchema = z.looseObject({ success: z.boolean() });
export type SuccessResponse = z.infer<typeof SuccessResponseSchema>;

export const GraphErrorBodySchema = z.looseObject({
  message: z.string(),
  type: z.string(),
  code: z.number().int(),
  error_data: z.looseObject({ messaging_product: z.string().optional(), details: z.string() }).optional(),
  /** deprecated ("not returned in v16.0+") yet still in Meta's examples */
  error_subcode: z.number().int().optional(),
  error_user_title: z.string().optional(),
  error_user_msg: z.string().optional(),
  fbtrace_id: z.string(),
});
export type GraphErrorBody = z.infer<typeof GraphErrorBodySchema>;

export const GraphErrorResponseSchema = z.looseObject({ error: GraphErrorBodySchema });
export type GraphErrorResponse = z.infer<typeof GraphErrorResponseSchema>;

export const MediaUploadResponseSchema = z.looseObject({ id: z.string().min(1) });
export type MediaUploadResponse = z.infer<typeof MediaUploadResponseSchema>;

/** `GET /{media-id}`: the URL expires after 5 minutes and needs the bearer token. */
export const MediaUrlResponseSchema = z.looseObject({
  messaging_product: z.literal(MESSAGING_PRODUCT),
  url: z.url(),
  mime_type: z.string(),
  sha256: z.string(),
  file_size: z.union([z.number().int(), z.string()]),
  id: z.string().min(1),
});
export type MediaUrlResponse = z.infer<typeof MediaUrlResponseSchema>;

// ---- templates ------------------------------------------------------------------------------------------

export const TEMPLATE_CATEGORIES = ["MARKETING", "UTILITY", "AUTHENTICATION"] as const;
export const TemplateCategorySchema = z.enum(TEMPLATE_CATEGORIES);
export type TemplateCategory = z.infer<typeof TemplateCategorySchema>;

export const TemplateButtonSchema = z.looseObject({
  /** QUICK_REPLY | URL | PHONE_NUMBER | OTP | COPY_CODE | … */
  type: z.string(),
  text: z.string(),
  url: z.string().optional(),
  phone_number: z.string().optional(),
  otp_type: z.string().optional(),
  example: z.array(z.string()).optional(),
});

export const TemplateComponentSchema = z.looseObject({
  /** HEADER | BODY | FOOTER | BUTTONS */
  type: z.string(),
  /** header: TEXT | IMAGE | VIDEO | DOCUMENT | LOCATION */
  format: z.string().optional(),
  text: z.string().optional(),
  add_security_recommendation: z.boolean().optional(),
  code_expiration_minutes: z.number().optional(),
  buttons: z.array(TemplateButtonSchema).optional(),
  example: z.looseObject({}).optional(),
});
export type TemplateComponent = z.infer<typeof TemplateComponentSchema>;

export const MessageTemplateSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  language: z.string(),
  /** APPROVED | PENDING | REJECTED | PAUSED | DISABLED | … */
  status: z.string(),
  category: z.string(),
  parameter_format: z.string().optional(),
  components: z.array(TemplateComponentSchema),
});
export type MessageTemplate = z.infer<typeof MessageTemplateSchema>;

export const MessageTemplatesResponseSchema = z.looseObject({
  data: z.array(MessageTemplateSchema),
  paging: z
    .looseObject({
      cursors: z.looseObject({ before: z.string().optional(), after: z.string().optional() }).optional(),
      next: z.string().optional(),
    })
    .optional(),
});
export type MessageTemplatesResponse = z.infer<typeof MessageTemplatesResponseSchema>;

// ---- phone number settings and registration ------------------------------------------------------------

export const STORAGE_STATUSES = ["IN_COUNTRY_STORAGE_ENABLED", "IN_COUNTRY_STORAGE_DISABLED"] as const;
/** Regions Meta lists for local storage. */
export const DATA_LOCALIZATION_REGIONS = [
  "AU",
  "ID",
  "IN",
  "JP",
  "SG",
  "KR",
  "DE",
  "CH",
  "GB",
  "BR",
  "BH",
  "ZA",
  "AE",
  "CA",
] as const;

export const StorageConfigurationSchema = z.looseObject({
  status: z.enum(STORAGE_STATUSES),
  data_localization_region: z.enum(DATA_LOCALIZATION_REGIONS).optional(),
});
export type StorageConfiguration = z.infer<typeof StorageConfigurationSchema>;

/** Body of `POST /{phone-number-id}/settings` (local storage only while the number is unregistered, v21+). */
export const UpdateSettingsRequestSchema = z.looseObject({
  storage_configuration: StorageConfigurationSchema.optional(),
});
export type UpdateSettingsRequest = z.infer<typeof UpdateSettingsRequestSchema>;

/** Response of `GET /{phone-number-id}/settings`. */
export const PhoneNumberSettingsSchema = z.looseObject({
  storage_configuration: StorageConfigurationSchema.optional(),
});
export type PhoneNumberSettings = z.infer<typeof PhoneNumberSettingsSchema>;

/** Body of `POST /{phone-number-id}/register`. */
export const RegisterRequestSchema = z.looseObject({
  messaging_product: z.literal(MESSAGING_PRODUCT),
  pin: z.string().regex(/^\d{6}$/, "must be the 6-digit two-step verification PIN"),
  /** v20 and older only; v21+ rejects it */
  data_localization_region: z.string().optional(),
});
export type RegisterRequest = z.infer<typeof RegisterRequestSchema>;
