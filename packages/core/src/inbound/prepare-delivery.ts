import type { DbTx } from "@inbox/db";
import type { z } from "zod";
import {
  MESSAGES_VALUE_LISTS,
  StatusSchema,
  USER_PREFERENCES_VALUE_LISTS,
  UserPreferenceSchema,
  WHATSAPP_OBJECT,
  WebhookContactSchema,
  describeIssues,
  readValueParts,
  type DeliveryChange,
  type Status,
  type UserPreference,
  type WebhookContact,
  type WebhookDelivery,
} from "@inbox/whatsapp";
import type { ChannelDirectory, InboundChannel } from "./channel-directory";
import {
  describeMessageElement,
  readErrors,
  type InboundElement,
  type QuarantineReason,
} from "./describe-message-element";

/** A part of a delivery that cannot be tied to a conversation: kept for admins as a delivery of its own. */
export interface QuarantinePart {
  reason: QuarantineReason;
  channelId: string | null;
  field: string;
  /** `{object, entry: [{id, changes: [{field, value}]}]}` holding just this part: what reprocessing applies. */
  payload: Record<string, unknown>;
  /** Where the part did not fit (paths only, for the log). */
  issues: string[];
}

/** A `messages` value of a known business number, element by element. */
export interface PreparedMessagesValue {
  channel: InboundChannel;
  contacts: WebhookContact[];
  elements: InboundElement[];
  statuses: Status[];
}

export interface PreparedPreferences {
  channel: InboundChannel;
  wabaId: string | null;
  value: unknown;
  preferences: UserPreference[];
}

/** A change of a field the product does not act on (account_update, template status, …), kept for the record. */
interface RecordedChange {
  field: string;
  channelId: string | null;
  payload: Record<string, unknown>;
}

export interface PreparedDelivery {
  values: PreparedMessagesValue[];
  preferences: PreparedPreferences[];
  records: RecordedChange[];
  quarantine: QuarantinePart[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Parses each element on its own: those the schema takes, and the others as they came with where they failed. */
function parseEach<T>(list: unknown[], schema: z.ZodType<T>): { ok: T[]; bad: unknown[]; issues: string[] } {
  const result = { ok: [] as T[], bad: [] as unknown[], issues: [] as string[] };
  for (const element of list) {
    const parsed = schema.safeParse(element);
    if (parsed.success) result.ok.push(parsed.data);
    else {
      result.bad.push(element);
      result.issues.push(...describeIssues(parsed.error));
    }
  }
  return result;
}

/** A delivery holding one change: how a quarantined part is stored, so that reprocessing can apply it. */
function deliveryOf(wabaId: string | null, field: string, value: unknown): Record<string, unknown> {
  return { object: WHATSAPP_OBJECT, entry: [{ id: wabaId ?? "", changes: [{ field, value }] }] };
}

/** The value's envelope (product, metadata) with only the given lists. */
function valueWith(value: unknown, lists: Json): Json {
  const v = isObject(value) ? value : {};
  return { messaging_product: v.messaging_product, metadata: v.metadata, ...lists };
}

/**
 * Takes a delivery apart ELEMENT BY ELEMENT: each message, status, contact, error and preference is parsed on its
 * own, so one the product does not understand never costs the others. Messages become inbound elements (shown as
 * they are, as `unsupported` or as `system` lines); what cannot be tied to a conversation (no business number we
 * know, no wamid, no sender, a status or contact that does not parse, value-level errors without a message) is
 * returned for quarantine. Reads only the (cached) channel directory.
 */
export async function prepareDelivery(
  db: DbTx,
  channels: ChannelDirectory,
  delivery: WebhookDelivery,
): Promise<PreparedDelivery> {
  const prepared: PreparedDelivery = { values: [], preferences: [], records: [], quarantine: [] };
  for (const part of delivery.malformed) {
    prepared.quarantine.push({
      reason: "malformed_envelope",
      channelId: null,
      field: "entry",
      payload: part.delivery,
      issues: [`${part.path}: not an entry or change`],
    });
  }
  for (const change of delivery.changes) {
    if (change.field === "messages") await prepareMessages(db, channels, change, prepared);
    else if (change.field === "user_preferences") await preparePreferences(db, channels, change, prepared);
    else {
      prepared.records.push({
        field: change.field,
        channelId: null,
        payload: { wabaId: change.wabaId, value: change.value ?? null },
      });
    }
  }
  return prepared;
}

async function channelOf(
  db: DbTx,
  channels: ChannelDirectory,
  change: DeliveryChange,
  phoneNumberId: string | null,
  prepared: PreparedDelivery,
): Promise<InboundChannel | null> {
  const channel = phoneNumberId ? await channels.findWhatsApp(db, phoneNumberId) : null;
  if (!channel) {
    prepared.quarantine.push({
      reason: phoneNumberId ? "unknown_channel" : "no_phone_number_id",
      channelId: null,
      field: change.field,
      payload: deliveryOf(change.wabaId, change.field, change.value),
      issues: [
        phoneNumberId ? "metadata.phone_number_id: no channel has this number" : "metadata.phone_number_id: missing",
      ],
    });
  }
  return channel;
}

async function prepareMessages(
  db: DbTx,
  channels: ChannelDirectory,
  change: DeliveryChange,
  prepared: PreparedDelivery,
): Promise<void> {
  const parts = readValueParts(change.value, MESSAGES_VALUE_LISTS);
  const channel = await channelOf(db, channels, change, parts.phoneNumberId, prepared);
  if (!channel) return;
  const {
    contacts: rawContacts,
    messages,
    statuses: rawStatuses,
    errors: rawErrors,
  } = parts.lists as Record<(typeof MESSAGES_VALUE_LISTS)[number], unknown[]>;
  const quarantine = (reason: QuarantineReason, lists: Json, issues: string[]) =>
    prepared.quarantine.push({
      reason,
      channelId: channel.id,
      field: change.field,
      payload: deliveryOf(change.wabaId, change.field, valueWith(change.value, lists)),
      issues,
    });
  if (parts.malformed.length > 0) {
    const value = isObject(change.value) ? change.value : {};
    quarantine(
      "malformed_value",
      Object.fromEntries(parts.malformed.map((k) => [k, value[k] ?? null])),
      parts.malformed.map((k) => `${k}: not a list`),
    );
  }

  const contacts = parseEach(rawContacts, WebhookContactSchema);
  if (contacts.bad.length) quarantine("invalid_contact", { contacts: contacts.bad }, contacts.issues);

  // Value-level errors next to messages are about those messages; alone they are about the number or the app.
  const valueErrors = readErrors(rawErrors);
  if (rawErrors.length && !messages.length) quarantine("value_errors", { errors: rawErrors }, ["errors: no message"]);

  const elements: InboundElement[] = [];
  const untied = new Map<QuarantineReason, { raw: unknown[]; issues: string[] }>();
  for (const m of messages) {
    const described = describeMessageElement(m, valueErrors);
    if (described.ok) elements.push(described.element);
    else {
      const group = untied.get(described.reason) ?? { raw: [], issues: [] };
      group.raw.push(m);
      group.issues.push(...described.issues);
      untied.set(described.reason, group);
    }
  }
  // Kept with the value's contacts: an upgrade that can tie them may need what contacts[] says.
  for (const [reason, group] of untied)
    quarantine(reason, { contacts: rawContacts, messages: group.raw }, group.issues);

  const statuses = parseEach(rawStatuses, StatusSchema);
  if (statuses.bad.length) quarantine("invalid_status", { statuses: statuses.bad }, statuses.issues);

  if (elements.length || statuses.ok.length) {
    prepared.values.push({ channel, contacts: contacts.ok, elements, statuses: statuses.ok });
  }
}

async function preparePreferences(
  db: DbTx,
  channels: ChannelDirectory,
  change: DeliveryChange,
  prepared: PreparedDelivery,
): Promise<void> {
  const parts = readValueParts(change.value, USER_PREFERENCES_VALUE_LISTS);
  const channel = await channelOf(db, channels, change, parts.phoneNumberId, prepared);
  if (!channel) return;
  const preferences: UserPreference[] = [];
  const bad = new Map<QuarantineReason, { raw: unknown[]; issues: string[] }>();
  for (const p of parts.lists.user_preferences ?? []) {
    const parsed = UserPreferenceSchema.safeParse(p);
    const reason: QuarantineReason | null = !parsed.success
      ? "invalid_preference"
      : !parsed.data.wa_id && !parsed.data.user_id
        ? "preference_without_customer"
        : null;
    if (parsed.success && !reason) {
      preferences.push(parsed.data);
      continue;
    }
    const group = bad.get(reason!) ?? { raw: [], issues: [] };
    group.raw.push(p);
    group.issues.push(...(parsed.success ? ["wa_id, user_id: missing"] : describeIssues(parsed.error)));
    bad.set(reason!, group);
  }
  for (const [reason, group] of bad) {
    prepared.quarantine.push({
      reason,
      channelId: channel.id,
      field: change.field,
      payload: deliveryOf(change.wabaId, change.field, valueWith(change.value, { user_preferences: group.raw })),
      issues: group.issues,
    });
  }
  prepared.preferences.push({ channel, wabaId: change.wabaId, value: change.value, preferences });
}
