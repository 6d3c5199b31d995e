/**
 * A webhook delivery as the receiver takes it apart: the envelope (`object`, `entry[]`, `changes[]`) is read
 * leniently and each change's value is split into its element lists (messages, statuses, contacts, errors,
 * user_preferences), which the receiver then parses ONE ELEMENT AT A TIME with the schemas of `./schemas.ts`.
 * Nothing here rejects a delivery for its shape: only a body that is not JSON, or JSON that is not a WhatsApp
 * Business Account object, is refused (Meta retries anything but 200 for days and then drops the whole batch).
 * Parts that are not even entries or changes are returned as `malformed`, to be kept for admins.
 */
import secureJson from "secure-json-parse";
import type { z } from "zod";

export const WHATSAPP_OBJECT = "whatsapp_business_account";

/** One `entry[].changes[]` element: the field it reports on and its value, untouched. */
export interface DeliveryChange {
  /** `entry[].id`, the WhatsApp Business Account id (null when Meta did not send a string). */
  wabaId: string | null;
  field: string;
  value: unknown;
}

/** A part of the envelope that is not an entry or a change: where it was, and a delivery holding just it. */
export interface MalformedPart {
  path: string;
  delivery: Record<string, unknown>;
}

export interface WebhookDelivery {
  /** The body as JSON, without U+0000 (Postgres text and jsonb cannot hold it). */
  raw: Record<string, unknown>;
  changes: DeliveryChange[];
  malformed: MalformedPart[];
}

export type ParseDeliveryResult =
  { ok: true; delivery: WebhookDelivery } | { ok: false; reason: "invalid_json" | "not_whatsapp"; issues: string[] };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Postgres text and jsonb cannot hold U+0000; Meta never sends it, but a signed delivery must still be stored. */
function stripNul<T>(value: T): T {
  if (typeof value === "string") return value.replaceAll("\u0000", "") as T;
  if (Array.isArray(value)) return value.map(stripNul) as T;
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replaceAll("\u0000", ""), stripNul(v)])) as T;
  }
  return value;
}

/**
 * `__proto__` keys are removed, nothing else: Meta never sends one, and kept they would reach the database and
 * break every read of the row (Prisma's client turns a stored `{"__proto__": null}` into an object without a
 * prototype and throws), so a delivery carrying one would be answered 500 and lost. `constructor` keys stay.
 */
const PROTO_KEYS = { protoAction: "remove", constructorAction: "ignore" } as const;

/** A webhook body (raw bytes/string or already-parsed JSON) as JSON, if it is a WhatsApp Business Account object. */
export function readWebhookJson(
  input: unknown,
): { ok: true; json: Json } | { ok: false; reason: "invalid_json" | "not_whatsapp"; issues: string[] } {
  let json: unknown = input;
  if (typeof input === "string" || Buffer.isBuffer(input)) {
    try {
      json = secureJson.parse(input, null, PROTO_KEYS);
    } catch {
      return { ok: false, reason: "invalid_json", issues: ["body is not JSON"] };
    }
  } else if (typeof input === "object" && input !== null) {
    secureJson.scan(input, PROTO_KEYS);
  }
  if (!isObject(json) || json.object !== WHATSAPP_OBJECT) {
    return { ok: false, reason: "not_whatsapp", issues: [`object must be "${WHATSAPP_OBJECT}"`] };
  }
  return { ok: true, json };
}

/**
 * Reads a webhook body (raw bytes/string or already-parsed JSON): refused only when it is not JSON or not a
 * WhatsApp Business Account object; everything else is split into changes, whatever their content.
 */
export function parseWebhookDelivery(input: unknown): ParseDeliveryResult {
  const read = readWebhookJson(input);
  if (!read.ok) return read;
  // In JSON text U+0000 can only be written as the escape \u0000: a body without it needs no copy without NULs
  // (copying every delivery cost the receiver measurable time).
  const isText = typeof input === "string" || Buffer.isBuffer(input);
  const raw = isText && !input.includes("\\u0000") ? read.json : stripNul(read.json);
  const changes: DeliveryChange[] = [];
  const malformed: MalformedPart[] = [];
  if (!Array.isArray(raw.entry)) {
    if (raw.entry !== undefined)
      malformed.push({ path: "entry", delivery: { object: WHATSAPP_OBJECT, entry: raw.entry } });
    return { ok: true, delivery: { raw, changes, malformed } };
  }
  raw.entry.forEach((entry: unknown, i) => {
    if (!isObject(entry) || !Array.isArray(entry.changes)) {
      malformed.push({ path: `entry.${i}`, delivery: { object: WHATSAPP_OBJECT, entry: [entry] } });
      return;
    }
    const wabaId = typeof entry.id === "string" && entry.id !== "" ? entry.id : null;
    entry.changes.forEach((change: unknown, k) => {
      if (isObject(change) && typeof change.field === "string" && change.field !== "") {
        changes.push({ wabaId, field: change.field, value: change.value });
      } else {
        malformed.push({
          path: `entry.${i}.changes.${k}`,
          delivery: { object: WHATSAPP_OBJECT, entry: [{ id: entry.id, changes: [change] }] },
        });
      }
    });
  });
  return { ok: true, delivery: { raw, changes, malformed } };
}

/** A change value split into its element lists; a list key that holds something else is named in `malformed`. */
export interface ValueParts {
  /** `metadata.phone_number_id`: which business number the value is for (null when missing). */
  phoneNumberId: string | null;
  lists: Record<string, unknown[]>;
  malformed: string[];
}

/** Splits a `messages` / `user_preferences` value into its lists, each element left as it came. */
export function readValueParts(value: unknown, listKeys: readonly string[]): ValueParts {
  const lists: Record<string, unknown[]> = Object.fromEntries(listKeys.map((k) => [k, []]));
  const malformed: string[] = [];
  if (!isObject(value)) return { phoneNumberId: null, lists, malformed: value === undefined ? [] : ["value"] };
  const metadata = value.metadata;
  const id = isObject(metadata) ? metadata.phone_number_id : undefined;
  for (const key of listKeys) {
    const list = value[key];
    if (Array.isArray(list)) lists[key] = list;
    else if (list !== undefined && list !== null) malformed.push(key);
  }
  return { phoneNumberId: typeof id === "string" && id !== "" ? id : null, lists, malformed };
}

export const MESSAGES_VALUE_LISTS = ["contacts", "messages", "statuses", "errors"] as const;
export const USER_PREFERENCES_VALUE_LISTS = ["contacts", "user_preferences"] as const;

/** Where a schema refused an element: paths only, never values (they may hold personal data). */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.slice(0, 5).map((issue) => `${issue.path.join(".") || "element"}: ${issue.message}`);
}
