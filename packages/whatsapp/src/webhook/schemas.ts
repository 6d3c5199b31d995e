/**
 * Meta's webhook payloads for the WhatsApp Business Account object — the one wire schema shared by the
 * product's receiver and the simulator. The element schemas (message, status, contact, error, preference) say
 * what the product understands: lenient where Meta is (optional fields, unknown keys kept with `looseObject`,
 * unknown message types still parse), strict where the receiver relies on a value (ids, unix-second timestamps).
 * The receiver applies them element by element (`./delivery.ts`), so one element it does not understand never
 * costs the others; the simulator validates whole payloads it builds with `WebhookPayloadSchema`.
 * Source: Meta's webhook reference pages (developers.facebook.com/documentation/business-messaging/whatsapp/
 * webhooks/reference/messages/…), cited per fixture in `../fixtures/webhooks.ts`.
 */
import { z } from "zod";
import { readWebhookJson } from "./delivery";

/** Meta sends timestamps as unix seconds in a string ("1749416383"). */
export const UnixSecondsStringSchema = z.string().regex(/^\d{1,12}$/, "must be unix seconds as a string");
/** A message's or status's timestamp: the documented string, or the same seconds as a number (read as the string). */
const UnixSecondsSchema = z.union([
  UnixSecondsStringSchema,
  z.number().int().min(0).max(999_999_999_999).transform(String),
]);
/**
 * Longest id, phone number or name the receiver keys or indexes on. Meta's are far shorter (a wamid has ~60
 * characters); the bound keeps a crafted value from failing an index insert and, with it, a whole delivery.
 */
export const MAX_KEY_LENGTH = 256;
/** Message ids are opaque (`wamid.…`); only non-emptiness (and a sane length) is relied upon. */
export const WamidSchema = z.string().min(1).max(MAX_KEY_LENGTH);
const KeySchema = z.string().max(MAX_KEY_LENGTH);

export const WebhookErrorSchema = z.looseObject({
  code: z.number().int(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.looseObject({ details: z.string() }).optional(),
  href: z.string().optional(),
});
export type WebhookError = z.infer<typeof WebhookErrorSchema>;

export const WebhookMetadataSchema = z.looseObject({
  display_phone_number: z.string(),
  phone_number_id: z.string().min(1),
});
export type WebhookMetadata = z.infer<typeof WebhookMetadataSchema>;

/** `wa_id` may be "" for username users Meta identifies only by their business-scoped user id (BSUID). */
export const WebhookContactSchema = z.looseObject({
  profile: z
    .looseObject({
      name: KeySchema.optional(),
      username: KeySchema.optional(),
      country_code: KeySchema.optional(),
    })
    .optional(),
  wa_id: KeySchema.optional(),
  user_id: KeySchema.optional(),
  parent_user_id: KeySchema.optional(),
  identity_key_hash: z.string().optional(),
});
export type WebhookContact = z.infer<typeof WebhookContactSchema>;

// ---- message bodies -------------------------------------------------------------------------------------

export const TextBodySchema = z.looseObject({ body: z.string() });

export const MediaBodySchema = z.looseObject({
  id: z.string().min(1).max(MAX_KEY_LENGTH),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
  url: z.string().optional(),
  /** audio: recorded in the client (voice note) vs. uploaded file */
  voice: z.boolean().optional(),
  /** sticker */
  animated: z.boolean().optional(),
});
export type MediaBody = z.infer<typeof MediaBodySchema>;

export const LocationBodySchema = z.looseObject({
  latitude: z.number(),
  longitude: z.number(),
  name: z.string().optional(),
  address: z.string().optional(),
  url: z.string().optional(),
});

export const SharedContactSchema = z.looseObject({
  name: z.looseObject({ formatted_name: z.string().optional() }).optional(),
  phones: z
    .array(z.looseObject({ phone: z.string().optional(), wa_id: z.string().optional(), type: z.string().optional() }))
    .optional(),
  emails: z.array(z.looseObject({ email: z.string().optional(), type: z.string().optional() })).optional(),
  addresses: z.array(z.looseObject({})).optional(),
  org: z.looseObject({}).optional(),
  urls: z.array(z.looseObject({})).optional(),
  birthday: z.string().optional(),
});

export const InteractiveBodySchema = z.looseObject({
  type: z.string(),
  button_reply: z.looseObject({ id: z.string(), title: z.string() }).optional(),
  list_reply: z.looseObject({ id: z.string(), title: z.string(), description: z.string().optional() }).optional(),
  nfm_reply: z.looseObject({}).optional(),
});

export const ButtonBodySchema = z.looseObject({ payload: z.string().optional(), text: z.string() });

/** An empty or missing emoji means the customer removed the reaction. */
export const ReactionBodySchema = z.looseObject({ message_id: WamidSchema, emoji: z.string().optional() });

export const OrderBodySchema = z.looseObject({
  catalog_id: z.string(),
  text: z.string().optional(),
  product_items: z.array(
    z.looseObject({
      product_retailer_id: z.string(),
      quantity: z.union([z.number(), z.string()]),
      item_price: z.union([z.number(), z.string()]),
      currency: z.string(),
    }),
  ),
});

export const SystemBodySchema = z.looseObject({
  body: z.string().optional(),
  /** user_changed_number | user_changed_user_id | customer_identity_changed | … */
  type: z.string().optional(),
  /** user_changed_number: the new phone's WhatsApp id */
  wa_id: KeySchema.optional(),
  /** legacy name of wa_id for user_changed_number */
  new_wa_id: KeySchema.optional(),
  /** the (new) business-scoped user id; user_changed_user_id, and user_changed_number since Aug 2026 */
  user_id: KeySchema.optional(),
  previous_user_id: KeySchema.optional(),
  parent_user_id: KeySchema.optional(),
  previous_parent_user_id: KeySchema.optional(),
  identity: z.string().optional(),
  customer: z.string().optional(),
});

export const MessageContextSchema = z.looseObject({
  from: z.string().optional(),
  id: z.string().optional(),
  forwarded: z.boolean().optional(),
  frequently_forwarded: z.boolean().optional(),
  referred_product: z.looseObject({ catalog_id: z.string(), product_retailer_id: z.string() }).optional(),
});

export const ReferralSchema = z.looseObject({
  source_url: z.string().optional(),
  source_id: z.string().optional(),
  source_type: z.string().optional(),
  headline: z.string().optional(),
  body: z.string().optional(),
  media_type: z.string().optional(),
  image_url: z.string().optional(),
  video_url: z.string().optional(),
  thumbnail_url: z.string().optional(),
  ctwa_clid: z.string().optional(),
});

export const KNOWN_MESSAGE_TYPES = [
  "text",
  "image",
  "audio",
  "video",
  "document",
  "sticker",
  "location",
  "contacts",
  "interactive",
  "button",
  "reaction",
  "order",
  "system",
  "unsupported",
  "unknown",
] as const;
export type KnownMessageType = (typeof KNOWN_MESSAGE_TYPES)[number];

/** The body key each known type must carry (unsupported/unknown carry `errors[]` instead). */
const BODY_KEY: Partial<Record<KnownMessageType, string>> = {
  text: "text",
  image: "image",
  audio: "audio",
  video: "video",
  document: "document",
  sticker: "sticker",
  location: "location",
  contacts: "contacts",
  interactive: "interactive",
  button: "button",
  reaction: "reaction",
  order: "order",
  system: "system",
};

/**
 * One inbound message. A flat object with `type` and the body under the key of the same name — the way Meta
 * sends it — so types Meta adds later still parse (forward compatible). Known types must carry their body.
 * `from` may be "" for username users; `from_user_id` then holds the BSUID. A `user_changed_user_id` system
 * message has no `from` at all: its `system.previous_user_id` names the customer.
 */
export const InboundMessageSchema = z
  .looseObject({
    from: KeySchema.optional(),
    from_user_id: KeySchema.optional(),
    id: WamidSchema,
    timestamp: UnixSecondsSchema,
    type: z.string().min(1),
    context: MessageContextSchema.optional(),
    referral: ReferralSchema.optional(),
    errors: z.array(WebhookErrorSchema).optional(),
    text: TextBodySchema.optional(),
    image: MediaBodySchema.optional(),
    audio: MediaBodySchema.optional(),
    video: MediaBodySchema.optional(),
    document: MediaBodySchema.optional(),
    sticker: MediaBodySchema.optional(),
    location: LocationBodySchema.optional(),
    contacts: z.array(SharedContactSchema).optional(),
    interactive: InteractiveBodySchema.optional(),
    button: ButtonBodySchema.optional(),
    reaction: ReactionBodySchema.optional(),
    order: OrderBodySchema.optional(),
    system: SystemBodySchema.optional(),
    unsupported: z.looseObject({ type: z.string().optional() }).optional(),
  })
  .superRefine((message, ctx) => {
    const key = BODY_KEY[message.type as KnownMessageType];
    if (key && (message as Record<string, unknown>)[key] === undefined) {
      ctx.addIssue({ code: "custom", path: [key], message: `a "${message.type}" message must carry "${key}"` });
    }
    const isIdentityEvent =
      message.type === "system" && !!(message.system?.previous_user_id || message.system?.user_id);
    if (!message.from && !message.from_user_id && !isIdentityEvent) {
      ctx.addIssue({ code: "custom", path: ["from_user_id"], message: "required when from is empty" });
    }
  });
export type InboundMessage = z.infer<typeof InboundMessageSchema>;

// ---- statuses -------------------------------------------------------------------------------------------

export const MESSAGE_STATUSES = ["sent", "delivered", "read", "failed", "played"] as const;
export const MessageStatusSchema = z.enum(MESSAGE_STATUSES);
export type MessageStatus = z.infer<typeof MessageStatusSchema>;

export const PRICING_CATEGORIES = [
  "authentication",
  "authentication-international",
  "marketing",
  "marketing_lite",
  "referral_conversion",
  "service",
  "utility",
] as const;

export const PricingSchema = z.looseObject({
  /** deprecated by Meta; use type + category */
  billable: z.boolean().optional(),
  pricing_model: z.string(),
  /** regular | free_customer_service | free_entry_point */
  type: z.string().optional(),
  /** one of PRICING_CATEGORIES; kept open for new categories */
  category: z.string(),
});
export type Pricing = z.infer<typeof PricingSchema>;

/** Omitted from v24.0 unless the message falls in a free-entry-point window. */
export const ConversationSchema = z.looseObject({
  id: z.string(),
  expiration_timestamp: z.string().optional(),
  origin: z.looseObject({ type: z.string() }).optional(),
});

export const StatusSchema = z.looseObject({
  id: WamidSchema,
  status: MessageStatusSchema,
  timestamp: UnixSecondsSchema,
  /** may be "" (or, from 2026, absent) for BSUID-only recipients */
  recipient_id: z.string().optional(),
  recipient_user_id: z.string().optional(),
  recipient_type: z.string().optional(),
  recipient_participant_id: z.string().optional(),
  conversation: ConversationSchema.optional(),
  pricing: PricingSchema.optional(),
  errors: z.array(WebhookErrorSchema).optional(),
  biz_opaque_callback_data: z.string().optional(),
});
export type Status = z.infer<typeof StatusSchema>;

// ---- values per field -----------------------------------------------------------------------------------

export const MessagesValueSchema = z.looseObject({
  messaging_product: z.literal("whatsapp"),
  metadata: WebhookMetadataSchema,
  contacts: z.array(WebhookContactSchema).optional(),
  messages: z.array(InboundMessageSchema).optional(),
  statuses: z.array(StatusSchema).optional(),
  errors: z.array(WebhookErrorSchema).optional(),
});
export type MessagesValue = z.infer<typeof MessagesValueSchema>;

export const UserPreferenceSchema = z.looseObject({
  wa_id: KeySchema.optional(),
  user_id: KeySchema.optional(),
  detail: z.string().optional(),
  /** marketing_messages */
  category: z.string(),
  /** stop | resume */
  value: z.string(),
  /** Meta's reference shows a number here, unlike messages; accept both */
  timestamp: z.union([z.number().int(), UnixSecondsStringSchema]),
});
export type UserPreference = z.infer<typeof UserPreferenceSchema>;

export const UserPreferencesValueSchema = z.looseObject({
  messaging_product: z.literal("whatsapp"),
  metadata: WebhookMetadataSchema,
  contacts: z.array(WebhookContactSchema).optional(),
  user_preferences: z.array(UserPreferenceSchema),
});
export type UserPreferencesValue = z.infer<typeof UserPreferencesValueSchema>;

export const MessagesChangeSchema = z.object({ field: z.literal("messages"), value: MessagesValueSchema });
export type MessagesChange = z.infer<typeof MessagesChangeSchema>;
export const UserPreferencesChangeSchema = z.object({
  field: z.literal("user_preferences"),
  value: UserPreferencesValueSchema,
});
export type UserPreferencesChange = z.infer<typeof UserPreferencesChangeSchema>;
/** Any other field (account_update, message_template_status_update, …): kept as is, for storage. */
export const OtherChangeSchema = z.object({
  field: z.string().refine((f) => f !== "messages" && f !== "user_preferences"),
  value: z.unknown(),
});
export type OtherChange = z.infer<typeof OtherChangeSchema>;

export const WebhookChangeSchema = z.union([MessagesChangeSchema, UserPreferencesChangeSchema, OtherChangeSchema]);
export type WebhookChange = z.infer<typeof WebhookChangeSchema>;

export const WebhookEntrySchema = z.looseObject({
  /** the WhatsApp Business Account id */
  id: z.string().min(1),
  changes: z.array(WebhookChangeSchema),
});
export type WebhookEntry = z.infer<typeof WebhookEntrySchema>;

export const WebhookPayloadSchema = z.looseObject({
  object: z.literal("whatsapp_business_account"),
  entry: z.array(WebhookEntrySchema),
});
export type WebhookPayload = z.infer<typeof WebhookPayloadSchema>;

export function isMessagesChange(change: WebhookChange): change is MessagesChange {
  return change.field === "messages";
}

export function isUserPreferencesChange(change: WebhookChange): change is UserPreferencesChange {
  return change.field === "user_preferences";
}

export type ParseWebhookResult =
  | { ok: true; payload: WebhookPayload }
  | { ok: false; reason: "invalid_json" | "not_whatsapp" | "invalid_payload"; issues: string[] };

/**
 * Parses a webhook body (raw bytes/string or already-parsed JSON). `not_whatsapp` when the JSON is not a
 * WhatsApp Business Account object at all; `invalid_payload` when it is but a field the receiver relies on is
 * malformed. Issues name paths only, never values (they may hold personal data).
 */
export function parseWebhookPayload(input: unknown): ParseWebhookResult {
  const read = readWebhookJson(input);
  if (!read.ok) return read;
  const json = read.json;
  const result = WebhookPayloadSchema.safeParse(json);
  if (!result.success) {
    return {
      ok: false,
      reason: "invalid_payload",
      issues: result.error.issues.map((issue) => `${issue.path.join(".") || "payload"}: ${issue.message}`),
    };
  }
  return { ok: true, payload: result.data };
}

/** The `messages` values of a payload, with the WABA id of their entry. */
export function getMessagesValues(payload: WebhookPayload): { wabaId: string; value: MessagesValue }[] {
  return payload.entry.flatMap((entry) =>
    entry.changes.filter(isMessagesChange).map((change) => ({ wabaId: entry.id, value: change.value })),
  );
}
