import { z } from "zod";
import { PageQuerySchema, pageOf } from "./common";

export const ConversationStatusSchema = z.enum(["open", "pending", "resolved"]);
export const MessageStatusSchema = z.enum([
  "queued",
  "sending",
  "sent",
  "delivered",
  "read",
  "played",
  "failed",
  "received",
]);
export const RoleSchema = z.enum(["agent", "lead", "admin"]);

export const ContactDtoSchema = z.object({
  id: z.string(),
  /** WhatsApp phone id; null for customers Meta identifies only by their business-scoped user id. */
  waId: z.string().nullable(),
  /** Meta's business-scoped user id (BSUID). */
  userId: z.string().nullable(),
  username: z.string().nullable(),
  profileName: z.string().nullable(),
  displayName: z.string().nullable(),
});
export type ContactDto = z.infer<typeof ContactDtoSchema>;

export const ConversationDtoSchema = z.object({
  id: z.string(),
  status: ConversationStatusSchema,
  channel: z.object({ id: z.string(), type: z.string(), name: z.string() }),
  contact: ContactDtoSchema,
  assigneeId: z.string().nullable(),
  teamId: z.string().nullable(),
  labels: z.array(z.object({ id: z.string(), name: z.string(), color: z.string() })),
  unreadCount: z.number().int(),
  lastMessageAt: z.iso.datetime(),
  lastInboundAt: z.iso.datetime().nullable(),
  windowExpiresAt: z.iso.datetime().nullable(),
  snoozedUntil: z.iso.datetime().nullable(),
  /** Short preview of the last message (agents only; never logged). */
  lastMessagePreview: z.string().nullable(),
  createdAt: z.iso.datetime(),
  /**
   * Only in search results (`q`): where the term was found — the contact's name or number, a message or a private
   * note — as an excerpt with the match at `start`…`end`, for highlighting.
   */
  match: z
    .object({
      field: z.enum(["name", "number", "message", "note"]),
      text: z.string(),
      start: z.number().int(),
      end: z.number().int(),
    })
    .optional(),
});
export type ConversationDto = z.infer<typeof ConversationDtoSchema>;

export const MessageDtoSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  direction: z.enum(["inbound", "outbound"]),
  type: z.string(),
  text: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  status: MessageStatusSchema,
  /** The provider's message id (WhatsApp wamid). */
  externalId: z.string().nullable(),
  clientId: z.string().nullable(),
  isPrivate: z.boolean(),
  senderId: z.string().nullable(),
  replyToExternalId: z.string().nullable(),
  errorCode: z.number().int().nullable(),
  errorTitle: z.string().nullable(),
  errorDetails: z.string().nullable(),
  templateName: z.string().nullable(),
  media: z.array(
    z.object({
      id: z.string(),
      mimeType: z.string(),
      filename: z.string().nullable(),
      sizeBytes: z.number().nullable(),
      status: z.string(),
    }),
  ),
  sentAt: z.iso.datetime().nullable(),
  deliveredAt: z.iso.datetime().nullable(),
  readAt: z.iso.datetime().nullable(),
  failedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type MessageDto = z.infer<typeof MessageDtoSchema>;

export const ConversationListQuerySchema = PageQuerySchema.extend({
  status: z.enum(["open", "pending", "resolved", "all"]).default("open"),
  /** A user id, "me" or "none" (unassigned). */
  assignee: z.string().optional(),
  team: z.string().optional(),
  channel: z.string().optional(),
  label: z.string().optional(),
  q: z.string().trim().max(200).optional(),
});
export type ConversationListQuery = z.infer<typeof ConversationListQuerySchema>;
export const ConversationPageSchema = pageOf(ConversationDtoSchema);
export const MessagePageSchema = pageOf(MessageDtoSchema);

const clientId = z.string().trim().min(1).max(100);
export const SendMessageBodySchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("text"),
    /** Meta's limit is 4096 characters (TEXT_MESSAGE_MAX_LENGTH); longer texts are refused with `text_too_long`
     *  by the send rules (the channel decides its limit), not by this schema. */
    text: z.string().trim().min(1).max(100_000),
    clientId,
    replyTo: z.string().optional(),
  }),
  z.object({
    type: z.literal("template"),
    clientId,
    template: z.object({
      name: z.string().min(1),
      language: z.string().min(2),
      /** Body parameters by position ("1", "2", …) or name ("first_name"), as the template's placeholders read. */
      parameters: z.record(z.string(), z.string().max(1024)).default({}),
      /** A text header's parameters ({{1}} or named). */
      headerParameters: z.record(z.string(), z.string().max(60)).optional(),
      /** An image, video or document header: an uploaded attachment (our MediaAsset id) or a public https link. */
      headerMedia: z
        .object({
          mediaId: z.string().min(1).optional(),
          link: z.string().max(2000).optional(),
          filename: z.string().trim().max(200).optional(),
        })
        .optional(),
      /** By button index: the value completing a dynamic URL button, or a quick-reply button's payload. */
      buttonParameters: z.record(z.string().regex(/^\d+$/), z.string().max(1000)).optional(),
      /**
       * Body variables sent as Meta's currency or date_time parameter instead of text; the variable's text in
       * `parameters` is their fallback_value. Currency: ISO 4217 code, amount in thousandths (12.50 → 12500).
       */
      typedParameters: z
        .record(
          z.string(),
          z.discriminatedUnion("type", [
            z.object({ type: z.literal("currency"), code: z.string().max(10), amount1000: z.number() }),
            z.object({ type: z.literal("date_time") }),
          ]),
        )
        .optional(),
      /** A LOCATION header's pin: latitude and longitude in decimal degrees, the place's name and address. */
      headerLocation: z
        .object({
          latitude: z.string().max(40),
          longitude: z.string().max(40),
          name: z.string().max(1000),
          address: z.string().max(1000),
        })
        .optional(),
    }),
  }),
  z.object({ type: z.literal("note"), text: z.string().trim().min(1).max(10_000), clientId }),
  ...(["image", "document", "audio", "video", "sticker"] as const).map((type) =>
    z.object({
      type: z.literal(type),
      clientId,
      /** Our MediaAsset id from POST /api/conversations/:id/attachments. */
      mediaId: z.string().min(1),
      /** Meta's caption limit is 1024 characters (CAPTION_MAX_LENGTH): longer → `caption_too_long`. */
      caption: z.string().trim().max(100_000).optional(),
      filename: z.string().trim().max(200).optional(),
    }),
  ),
]);
export type SendMessageBody = z.infer<typeof SendMessageBodySchema>;
export const MEDIA_MESSAGE_TYPES = ["image", "document", "audio", "video", "sticker"] as const;
export type MediaMessageType = (typeof MEDIA_MESSAGE_TYPES)[number];

/** An uploaded attachment, stored and waiting to be sent (the worker uploads it to Meta at send time). */
export const AttachmentDtoSchema = z.object({
  id: z.string(),
  type: z.enum(MEDIA_MESSAGE_TYPES),
  mimeType: z.string(),
  filename: z.string().nullable(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
});
export type AttachmentDto = z.infer<typeof AttachmentDtoSchema>;

/** Conversation actions (each audited and published as conversation.updated). */
export const AssignBodySchema = z.object({ assigneeId: z.string().nullable() });
export const HandoverBodySchema = z.object({ teamId: z.string() });
export const SetStatusBodySchema = z.object({ status: ConversationStatusSchema });
export const SnoozeBodySchema = z.object({ until: z.iso.datetime().nullable() });
export const SetLabelsBodySchema = z.object({ labelIds: z.array(z.string()).max(50) });
export type ConversationAction =
  | { type: "assign"; assigneeId: string | null }
  | { type: "handover"; teamId: string }
  | { type: "status"; status: z.infer<typeof ConversationStatusSchema> }
  | { type: "snooze"; until: string | null }
  | { type: "labels"; labelIds: string[] }
  | { type: "read" };

export const ConsentRecordDtoSchema = z.object({
  purpose: z.enum(["service", "marketing"]),
  status: z.enum(["granted", "withdrawn"]),
  source: z.string(),
  wordingVersion: z.number().int().nullable(),
  wordingText: z.string().nullable(),
  evidence: z.record(z.string(), z.unknown()),
  occurredAt: z.iso.datetime(),
});
export type ConsentRecordDto = z.infer<typeof ConsentRecordDtoSchema>;

/**
 * An agent records a consent the customer gave or withdrew outside the chat's keywords (on the phone, by letter, in
 * the shop): for the conversation's contact, with the reason as evidence; audited.
 */
export const RecordConsentBodySchema = z.object({
  purpose: z.enum(["service", "marketing"]),
  status: z.enum(["granted", "withdrawn"]),
  /** How the customer gave or withdrew it ("asked by phone on 2 Dec"). */
  reason: z.string().trim().min(3).max(500),
});
export type RecordConsentBody = z.infer<typeof RecordConsentBodySchema>;

/** The contact panel: who, consents with evidence (newest first), labels, past conversations, opt-out state. */
export const ContactDetailsDtoSchema = z.object({
  contact: ContactDtoSchema.extend({ locale: z.string().nullable(), countryCode: z.string().nullable() }),
  consents: z.array(ConsentRecordDtoSchema),
  /** The contact withdrew the service consent and has not written since: nothing but the opt-out confirmation may
   *  be sent. (A later message of theirs allows replies inside its window; business-initiated ones stay refused.) */
  isOptedOut: z.boolean(),
  labels: z.array(z.object({ id: z.string(), name: z.string(), color: z.string() })),
  pastConversations: z.array(
    z.object({
      id: z.string(),
      status: ConversationStatusSchema,
      createdAt: z.iso.datetime(),
      lastMessageAt: z.iso.datetime(),
    }),
  ),
});
export type ContactDetailsDto = z.infer<typeof ContactDetailsDtoSchema>;
