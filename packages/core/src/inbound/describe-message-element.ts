import { InboundMessageSchema, MAX_KEY_LENGTH, type InboundMessage } from "@inbox/whatsapp";
import { cleanValue } from "./resolve-contact";
import {
  explainSystem,
  explainUnsupported,
  labelWithoutText,
  type ElementError,
  type UnsupportedKind,
} from "./explain-inbound";
import { fromMetaTimestamp } from "./meta-time";

type MediaMessageType = "image" | "audio" | "video" | "document" | "sticker";

interface InboundMedia {
  providerMediaId: string;
  mimeType: string;
  filename: string | null;
  /** Meta's checksum of the file, checked by the download job. */
  sha256: string | null;
}

/** What a system message changes about who the customer is. */
type IdentityChange =
  | { kind: "number"; waId: string; userId: string | null; parentUserId: string | null }
  | { kind: "user_id"; userId: string; parentUserId: string | null };

/**
 * One element of `messages[]` as the inbox stores and shows it, whatever Meta sent: a message the inbox
 * understands keeps its type; anything else becomes an `unsupported` message whose text says why (Meta's errors in
 * words); a system message becomes a `system` line. The raw element is the stored payload either way.
 */
export interface InboundElement {
  /** Meta's message id (wamid): the key a redelivery is recognised by. */
  wamid: string;
  sender: { waId: string | null; userId: string | null };
  /** Meta's timestamp; null when Meta's is unusable (the message then neither opens nor moves the window). */
  at: Date | null;
  type: string;
  text: string | null;
  payload: Record<string, unknown>;
  replyToExternalId: string | null;
  media: InboundMedia | null;
  /** Text a consent keyword is looked for in (typed text, template quick-reply button, interactive reply). */
  keywordText: string | null;
  /** A message from the customer (opens the window, counts as unread); false for system lines. */
  isCustomerMessage: boolean;
  /** Meta's first error for the message, as Meta sent it. */
  error: ElementError | null;
  identityChange: IdentityChange | null;
  /** Why the message is shown as `unsupported` (for the log), else null. */
  unsupported: UnsupportedKind | null;
}

export type QuarantineReason =
  | "not_an_object"
  | "message_without_id"
  | "message_without_sender"
  | "no_phone_number_id"
  | "unknown_channel"
  | "invalid_contact"
  | "invalid_status"
  | "invalid_preference"
  | "preference_without_customer"
  | "value_errors"
  | "malformed_value"
  | "malformed_envelope"
  | "apply_failed";

export type DescribeResult =
  { ok: true; element: InboundElement } | { ok: false; reason: QuarantineReason; issues: string[] };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" ? cleanValue(v) : null);
/** An id or phone the receiver keys on: a non-blank string of a sane length, else null. */
const key = (v: unknown): string | null => {
  const s = str(v);
  return s && s.length <= MAX_KEY_LENGTH ? s : null;
};

const MEDIA_FALLBACK_MIME: Record<MediaMessageType, string> = {
  image: "image/jpeg",
  audio: "audio/ogg",
  video: "video/mp4",
  document: "application/octet-stream",
  sticker: "image/webp",
};

/** Meta's `errors[]` (message- or value-level), read leniently: whatever Meta sends is kept, nothing refused. */
export function readErrors(list: unknown): ElementError[] {
  if (!Array.isArray(list)) return [];
  return list.map((e) => {
    const o = isObject(e) ? e : {};
    const data = isObject(o.error_data) ? o.error_data : {};
    const code = typeof o.code === "number" ? o.code : typeof o.code === "string" ? Number(o.code) : NaN;
    return {
      // The column is a 4-byte integer; Meta's codes are far below its limit.
      code: Number.isInteger(code) && Math.abs(code) <= 2_147_483_647 ? code : null,
      title: str(o.title) ?? str(o.message),
      details: str(data.details),
    };
  });
}

/** Meta's unix-seconds timestamp (a string, as documented; a number is accepted too), or null. */
function readTimestamp(v: unknown): Date | null {
  const n = typeof v === "string" && /^\d{1,12}$/.test(v) ? Number(v) : typeof v === "number" ? v : NaN;
  return Number.isInteger(n) && n >= 0 ? fromMetaTimestamp(n) : null;
}

/**
 * Describes one element of a `messages` value. It needs a wamid and a sender (phone, BSUID, or for identity events
 * the user id Meta names) to be tied to a conversation; without them the element is quarantined. `valueErrors`
 * are the value-level `errors[]` Meta sent next to the messages (what Meta sends for messages it could not process).
 */
export function describeMessageElement(raw: unknown, valueErrors: ElementError[] = []): DescribeResult {
  if (!isObject(raw)) return { ok: false, reason: "not_an_object", issues: ["message: not an object"] };
  const wamid = key(raw.id);
  if (!wamid) return { ok: false, reason: "message_without_id", issues: ["id: missing"] };
  const type = str(raw.type) ?? "unknown";
  const system = isObject(raw.system) ? raw.system : {};
  // A user id change names the customer by the id the contact is known under: `previous_user_id`, also when a
  // delivery carries `from_user_id` (every 2026 message may), which could already be the new one.
  const previousUserId = type === "system" ? str(system.previous_user_id) : null;
  const sender = {
    waId: str(raw.from),
    userId: previousUserId ?? str(raw.from_user_id) ?? (type === "system" ? str(system.user_id) : null),
  };
  if (!sender.waId && !sender.userId) {
    return { ok: false, reason: "message_without_sender", issues: ["from: missing"] };
  }
  const context = isObject(raw.context) ? raw.context : {};
  const base = {
    wamid,
    sender,
    at: readTimestamp(raw.timestamp),
    payload: raw,
    replyToExternalId: str(context.id),
    media: null,
    keywordText: null,
    isCustomerMessage: true,
    identityChange: null,
    unsupported: null,
  };
  const errors = [...readErrors(raw.errors), ...valueErrors];
  const parsed = InboundMessageSchema.safeParse(raw);
  if (parsed.success && parsed.data.type === "system") {
    return { ok: true, element: { ...base, ...describeSystem(parsed.data), error: errors[0] ?? null } };
  }
  const unsupported = (kind: UnsupportedKind, shownType = type): DescribeResult => ({
    ok: true,
    element: {
      ...base,
      type: "unsupported",
      text: explainUnsupported({ kind, type: shownType, errors }),
      error: errors[0] ?? null,
      unsupported: kind,
    },
  });
  if (type === "unsupported" || type === "unknown") {
    const inner = isObject(raw.unsupported) ? str(raw.unsupported.type) : null;
    return unsupported("unsupported_type", inner ?? type);
  }
  if (errors.length > 0) return unsupported("meta_errors");
  if (!parsed.success) return unsupported("unexpected_content");
  const understood = describeUnderstood(parsed.data);
  if (!understood) return unsupported("unknown_type");
  const text =
    understood.text ??
    (type === "document" ? (understood.media?.filename ?? null) : null) ??
    labelWithoutText(type, {
      isVoice: parsed.data.audio?.voice === true,
      itemCount: parsed.data.order?.product_items.length,
    });
  return { ok: true, element: { ...base, ...understood, text, type, error: null } };
}

type Understood = Pick<InboundElement, "text" | "keywordText" | "media" | "replyToExternalId">;

/** The types the inbox shows as they are; null for types it does not know. */
function describeUnderstood(message: InboundMessage): Partial<Understood> | null {
  switch (message.type) {
    case "text":
      return { text: message.text?.body ?? null, keywordText: message.text?.body ?? null };
    case "image":
    case "audio":
    case "video":
    case "document":
    case "sticker": {
      const body = message[message.type]!;
      return {
        text: body.caption ?? null,
        media: {
          providerMediaId: body.id,
          mimeType: body.mime_type ?? MEDIA_FALLBACK_MIME[message.type],
          filename: body.filename ?? null,
          sha256: body.sha256 ?? null,
        },
      };
    }
    case "location": {
      const l = message.location!;
      return { text: [l.name, l.address].filter(Boolean).join(", ") || null };
    }
    case "contacts":
      return {
        text:
          message.contacts
            ?.map((c) => c.name?.formatted_name)
            .filter(Boolean)
            .join(", ") || null,
      };
    case "interactive": {
      const title = message.interactive?.button_reply?.title ?? message.interactive?.list_reply?.title ?? null;
      return { text: title, keywordText: title };
    }
    case "button":
      return { text: message.button?.text ?? null, keywordText: message.button?.text ?? null };
    case "reaction":
      return {
        text: message.reaction?.emoji || null,
        replyToExternalId: message.reaction?.message_id ?? message.context?.id ?? null,
      };
    case "order":
      return { text: message.order?.text ?? null };
    default:
      return null;
  }
}

function describeSystem(
  message: InboundMessage,
): Pick<InboundElement, "type" | "text" | "isCustomerMessage" | "identityChange"> {
  const s = message.system ?? {};
  const newWaId = cleanValue(s.wa_id ?? s.new_wa_id);
  const userId = cleanValue(s.user_id);
  const parentUserId = cleanValue(s.parent_user_id);
  let identityChange: IdentityChange | null = null;
  if (s.type === "user_changed_number" && newWaId)
    identityChange = { kind: "number", waId: newWaId, userId, parentUserId };
  else if (s.type === "user_changed_user_id" && userId) identityChange = { kind: "user_id", userId, parentUserId };
  const text =
    s.type === "user_changed_number"
      ? explainSystem({ type: "user_changed_number", newWaId })
      : s.type === "user_changed_user_id"
        ? explainSystem({ type: "user_changed_user_id" })
        : explainSystem({ type: s.type ?? "system", body: cleanValue(s.body) });
  return { type: "system", text, isCustomerMessage: false, identityChange };
}
