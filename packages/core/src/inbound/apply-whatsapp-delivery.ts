import { randomUUID } from "node:crypto";
import { Prisma, prismaSql, type Contact, type Db, type DbTx, type PgPool } from "@inbox/db";
import { enqueueInTransaction, jobIdFor, type OutboxEntry } from "@inbox/jobs";
import type { Logger } from "@inbox/logger";
import {
  isMessagesChange,
  isUserPreferencesChange,
  type InboundMessage,
  type MessagesValue,
  type UserPreferencesValue,
  type WebhookPayload,
} from "@inbox/whatsapp";
import type { LiveMessageRow } from "../shared/live-changes";
import { ChannelDirectory, type InboundChannel } from "./channel-directory";
import { ConsentKeywordCache, matchConsentKeyword, type ConsentKeywordSettings } from "./consent-keywords";
import { describeInboundMessage, type DescribedMessage } from "./describe-inbound-message";
import { openConversation, type OpenedConversation } from "./open-conversation";
import { findKnownExternalIds } from "./key-lookups";
import { fromMetaTimestamp } from "./meta-time";
import { applyFastDelivery, planFastDelivery } from "./pg-fast-path";
import { inboundMessageRow, ROUTE_JOB, storePhoneSenderMessages, type PhoneSender } from "./store-phone-senders";
import { changeContactIdentifier, identityKey, resolveContact, type ContactIdentity } from "./resolve-contact";
import { applyStatusReports, toStatusReports } from "./apply-status-events";

export interface ApplyDeliveryDeps {
  db: Db;
  log?: Logger | undefined;
  /** Shared across deliveries so the channel lookup is not a query per webhook. */
  channels?: ChannelDirectory | undefined;
  /** Keyword settings cache shared across deliveries; a fresh read per delivery when absent. */
  keywords?: ConsentKeywordCache | undefined;
  /**
   * Plain pg pool for the hot path (phone-only senders' customer messages): one short raw-SQL transaction
   * instead of a Prisma interactive transaction. Without it every delivery takes the full path.
   */
  pool?: PgPool | undefined;
}

/** What a committed delivery changed: the api acknowledges, pokes the outbox relay and publishes live events. */
export interface DeliveryResult {
  outboxWritten: boolean;
  createdMessageIds: string[];
  /** Created messages whose rows are known without reading them back (the hot path's), a subset of createdMessageIds. */
  storedMessages: LiveMessageRow[];
  updatedMessageIds: string[];
  conversationIds: string[];
  counts: { messages: number; duplicates: number; statuses: number; webhookEvents: number; consents: number };
}

const RETRYABLE = new Set(["P2002", "P2034", "40001", "40P01", "23505"]);

function isRetryable(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) return RETRYABLE.has(error.code);
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && RETRYABLE.has(code)) return true;
  const text = error instanceof Error ? error.message : "";
  return /deadlock|could not serialize|concurrent conversation|unique constraint/i.test(text);
}

const defaultChannels = new ChannelDirectory();

/**
 * Applies one verified webhook delivery in ONE transaction: every entry, change, contact, message and status.
 * Either all of it is stored (with its outbox jobs) or nothing is, so the 200 Meta gets means "durable".
 * Redeliveries are harmless: messages are unique on (channel, wamid), statuses on (channel, wamid, status).
 * Concurrency conflicts (two deliveries creating the same contact, deadlocks) retry the whole transaction.
 */
export async function applyWhatsAppDelivery(deps: ApplyDeliveryDeps, payload: WebhookPayload): Promise<DeliveryResult> {
  const channels = deps.channels ?? defaultChannels;
  const keywords = deps.keywords ?? new ConsentKeywordCache(0);
  for (let attempt = 1; ; attempt++) {
    try {
      const clean = stripNul(payload);
      const fast = deps.pool ? await planFastDelivery(deps.db, channels, keywords, clean) : null;
      if (fast && deps.pool) {
        const results = await applyFastDelivery(deps.db, deps.pool, fast);
        const stored = results.flatMap((r) => (r.messages ? [r.messages] : []));
        const created = stored.flatMap((r) => r.created);
        return {
          outboxWritten: stored.some((r) => [...r.conversations.values()].some((c) => c.isNew)),
          createdMessageIds: created.map((c) => c.row.id),
          storedMessages: created.map((c) => ({
            row: c.row,
            teamId: c.conversation.teamId,
            assigneeId: c.conversation.assigneeId,
          })),
          updatedMessageIds: results.flatMap((r) => r.statuses.updatedMessageIds),
          conversationIds: [...new Set(stored.flatMap((r) => [...r.conversations.values()].map((c) => c.id)))],
          counts: {
            messages: created.length,
            duplicates: stored.reduce((n, r) => n + r.duplicates, 0),
            statuses: results.reduce((n, r) => n + r.statuses.recorded, 0),
            webhookEvents: 0,
            consents: 0,
          },
        };
      }
      return await deps.db.$transaction((tx) => applyInTransaction(tx, channels, keywords, clean), {
        timeout: 20_000,
        maxWait: 10_000,
      });
    } catch (error) {
      if (attempt >= 4 || !isRetryable(error)) throw error;
      deps.log?.debug({ err: error, attempt }, "delivery conflicted with a concurrent one; retrying");
    }
  }
}

interface Work {
  tx: DbTx;
  keywords: ConsentKeywordCache;
  jobs: OutboxEntry[];
  result: DeliveryResult;
  conversationIds: Set<string>;
  settings?: ConsentKeywordSettings;
}

async function applyInTransaction(
  tx: DbTx,
  channels: ChannelDirectory,
  keywords: ConsentKeywordCache,
  payload: WebhookPayload,
): Promise<DeliveryResult> {
  const work: Work = {
    tx,
    keywords,
    jobs: [],
    conversationIds: new Set(),
    result: {
      outboxWritten: false,
      createdMessageIds: [],
      storedMessages: [],
      updatedMessageIds: [],
      conversationIds: [],
      counts: { messages: 0, duplicates: 0, statuses: 0, webhookEvents: 0, consents: 0 },
    },
  };
  const webhookEvents: Prisma.WebhookEventCreateManyInput[] = [];
  for (const entry of payload.entry) {
    for (const change of entry.changes) {
      if (isMessagesChange(change)) {
        const channel = await channels.findWhatsApp(tx, change.value.metadata.phone_number_id);
        if (!channel) {
          webhookEvents.push({
            field: "messages",
            payload: toJson({ reason: "unknown_channel", wabaId: entry.id, value: change.value }),
          });
          continue;
        }
        const unattributed = await applyMessagesValue(work, channel, change.value);
        if (unattributed.length) {
          webhookEvents.push({
            channelId: channel.id,
            field: "messages.unattributed",
            payload: toJson({ wabaId: entry.id, messages: unattributed }),
          });
        }
        if (change.value.errors?.length) {
          webhookEvents.push({
            channelId: channel.id,
            field: "messages.errors",
            payload: toJson({ wabaId: entry.id, errors: change.value.errors }),
          });
        }
      } else if (isUserPreferencesChange(change)) {
        const channel = await channels.findWhatsApp(tx, change.value.metadata.phone_number_id);
        const handled = channel ? await applyUserPreferences(work, channel, change.value) : false;
        webhookEvents.push({
          channelId: channel?.id ?? null,
          field: "user_preferences",
          payload: toJson({ wabaId: entry.id, value: change.value }),
          handledAt: handled ? new Date() : null,
        });
      } else {
        webhookEvents.push({ field: change.field, payload: toJson({ wabaId: entry.id, value: change.value ?? null }) });
      }
    }
  }
  if (webhookEvents.length > 0) {
    await tx.webhookEvent.createMany({ data: webhookEvents });
    work.result.counts.webhookEvents = webhookEvents.length;
  }
  await enqueueInTransaction(tx, work.jobs);
  work.result.outboxWritten ||= work.jobs.length > 0;
  work.result.conversationIds = [...work.conversationIds];
  return work.result;
}

function toJson(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}

/** Postgres text and jsonb cannot hold U+0000; Meta never sends it, but a signed payload must not cause a 500. */
function stripNul<T>(value: T): T {
  if (typeof value === "string") return value.replaceAll("\u0000", "") as T;
  if (Array.isArray(value)) return value.map(stripNul) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replaceAll("\u0000", ""), stripNul(v)])) as T;
  }
  return value;
}

function contactIdentities(value: MessagesValue): Map<string, ContactIdentity> {
  const identities = new Map<string, ContactIdentity>();
  const add = (identity: ContactIdentity) => {
    const key = identityKey(identity);
    if (!key) return;
    const prev = identities.get(key) ?? {};
    identities.set(key, { ...prev, ...Object.fromEntries(Object.entries(identity).filter(([, v]) => v)) });
  };
  for (const c of value.contacts ?? []) {
    add({
      waId: c.wa_id,
      userId: c.user_id,
      parentUserId: c.parent_user_id,
      username: c.profile?.username,
      profileName: c.profile?.name,
      countryCode: c.profile?.country_code,
    });
  }
  for (const m of value.messages ?? []) add({ waId: m.from, userId: m.from_user_id });
  return identities;
}

/** The identity of a message's sender, matched against the delivery's contacts[] by phone or user id. */
function senderIdentity(message: InboundMessage, identities: Map<string, ContactIdentity>): ContactIdentity {
  const own = { waId: message.from || null, userId: message.from_user_id ?? null };
  for (const identity of identities.values()) {
    if ((own.waId && identity.waId === own.waId) || (own.userId && identity.userId === own.userId))
      return { ...identity, ...stripEmpty(own) };
  }
  return own;
}

const stripEmpty = (o: Record<string, string | null | undefined>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v));

async function applyMessagesValue(
  work: Work,
  channel: InboundChannel,
  value: MessagesValue,
): Promise<Prisma.InputJsonValue[]> {
  const { tx } = work;
  const unattributed: Prisma.InputJsonValue[] = [];
  const messages = value.messages ?? [];
  if (messages.length > 0) {
    const identities = contactIdentities(value);
    // Known wamids skip all work (a redelivery must not reopen a resolved conversation); the insert below is
    // still ON CONFLICT DO NOTHING, so a concurrent duplicate is stopped by the unique index, not by this read.
    const ids = [...new Set(messages.map((m) => m.id))];
    const knownIds = await findKnownExternalIds(prismaSql(tx), channel.id, ids);
    const seen = new Set<string>();
    const fresh = messages.filter((m) => {
      if (knownIds.has(m.id) || seen.has(m.id)) return false;
      seen.add(m.id);
      return true;
    });
    work.result.counts.duplicates += messages.length - fresh.length;

    // Lock contacts in a stable order (by identity key) so concurrent deliveries cannot deadlock.
    const bySender = new Map<string, { identity: ContactIdentity; messages: InboundMessage[] }>();
    for (const m of fresh) {
      const identity = senderIdentity(m, identities);
      const key = identityKey(identity);
      if (!key) {
        // No usable sender id (blank from/from_user_id): kept as a webhook event instead of guessing a contact.
        unattributed.push(toJson(m));
        continue;
      }
      const group = bySender.get(key) ?? { identity, messages: [] };
      group.messages.push(m);
      bySender.set(key, group);
    }
    const groups = [...bySender.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
    // Senders known by phone only, without system messages (the bulk of traffic): one call of the database function
    // the hot path uses, for all of them (group commit merges many deliveries into one value).
    const simple = groups.filter(isSimpleSender);
    if (simple.length > 0) await storeSimpleSenders(work, channel, simple);
    const toStore: ContactMessages[] = [];
    for (const group of groups) {
      if (isSimpleSender(group)) continue;
      const newest = group.messages.reduce((max, m) => Math.max(max, Number(m.timestamp)), 0);
      let contact = await resolveContact(tx, channel.id, group.identity, fromMetaTimestamp(newest));
      contact = await applyIdentityChanges(tx, contact, group.messages);
      const conversation = await openContactConversation(work, channel, contact, group.messages);
      toStore.push({ contact, conversation, messages: group.messages });
    }
    if (toStore.length > 0) await storeMessages(work, channel, toStore);
  }

  const statuses = value.statuses ?? [];
  if (statuses.length > 0) {
    const { recorded, updatedMessageIds } = await applyStatusReports(
      prismaSql(tx),
      channel.id,
      toStatusReports(statuses),
    );
    work.result.counts.statuses += recorded;
    work.result.updatedMessageIds.push(...updatedMessageIds);
  }
  return unattributed;
}

/** user_changed_number / user_changed_user_id move the contact's identifier so history stays with the person. */
async function applyIdentityChanges(tx: DbTx, contact: Contact, messages: InboundMessage[]): Promise<Contact> {
  let current = contact;
  for (const m of messages) {
    if (m.type !== "system" || !m.system) continue;
    if (m.system.type === "user_changed_number") {
      const newWaId = m.system.wa_id ?? m.system.new_wa_id;
      if (newWaId) current = await changeContactIdentifier(tx, current, "waId", newWaId);
    } else if (m.system.type === "user_changed_user_id" && m.system.user_id) {
      current = await changeContactIdentifier(tx, current, "userId", m.system.user_id);
    }
  }
  return current;
}

interface SenderGroup {
  identity: ContactIdentity;
  messages: InboundMessage[];
}

interface ContactMessages {
  contact: Contact;
  conversation: OpenedConversation;
  messages: InboundMessage[];
}

function isSimpleSender(group: SenderGroup): group is SenderGroup & { identity: { waId: string } } {
  return !!group.identity.waId && !group.identity.userId && group.messages.every((m) => m.type !== "system");
}

const newestTimestamp = (messages: InboundMessage[]): Date | null =>
  messages.reduce<Date | null>((max, m) => {
    const t = fromMetaTimestamp(m.timestamp);
    return !max || t > max ? t : max;
  }, null);

function noteConversation(work: Work, conversation: OpenedConversation): void {
  work.conversationIds.add(conversation.id);
  if (conversation.isNew) {
    work.jobs.push({
      name: ROUTE_JOB,
      payload: { conversationId: conversation.id },
      jobId: jobIdFor(ROUTE_JOB, conversation.id),
    });
  }
}

async function openContactConversation(
  work: Work,
  channel: InboundChannel,
  contact: Contact,
  messages: InboundMessage[],
): Promise<OpenedConversation> {
  const customerMessages = messages.filter((m) => m.type !== "system");
  const conversation = await openConversation(work.tx, {
    channelId: channel.id,
    contactId: contact.id,
    defaultTeamId: channel.defaultTeamId,
    lastInboundAt: newestTimestamp(customerMessages),
    unread: customerMessages.length,
  });
  noteConversation(work, conversation);
  return conversation;
}

/** Phone-only senders: stored by the database function, then their media and consent keywords. */
async function storeSimpleSenders(work: Work, channel: InboundChannel, senders: PhoneSender[]): Promise<void> {
  const r = await storePhoneSenderMessages(prismaSql(work.tx), channel, senders);
  // The function wrote the routing jobs of the conversations it opened to the outbox already.
  for (const conversation of r.conversations.values()) {
    work.conversationIds.add(conversation.id);
    if (conversation.isNew) work.result.outboxWritten = true;
  }
  work.result.counts.duplicates += r.duplicates;
  await afterStored(
    work,
    channel,
    r.created.map((c) => ({
      id: c.row.id,
      contactId: c.conversation.contactId,
      conversationId: c.conversation.id,
      message: c.message,
      described: c.described,
    })),
  );
}

/** A message this delivery stored, with what its media and keyword handling need. */
interface StoredInbound {
  id: string;
  contactId: string;
  conversationId: string;
  message: InboundMessage;
  described: DescribedMessage;
}

/** Inserts the messages of every contact in one statement (ON CONFLICT DO NOTHING), then media and keywords. */
async function storeMessages(work: Work, channel: InboundChannel, groups: ContactMessages[]): Promise<void> {
  const { tx } = work;
  const described = groups.flatMap((g) =>
    g.messages.map((m) => {
      const d = describeInboundMessage(m);
      return { g, m, d, row: { ...inboundMessageRow(channel.id, m, d), conversationId: g.conversation.id } };
    }),
  );
  const inserted = await tx.message.createManyAndReturn({
    data: described.map(({ row }) => ({
      id: row.id,
      conversationId: row.conversationId,
      channelId: row.channelId,
      direction: row.direction,
      type: row.type,
      text: row.text,
      payload: toJson(row.payload),
      externalId: row.externalId,
      status: row.status,
      statusAt: row.statusAt,
      providerTimestamp: row.providerTimestamp,
      replyToExternalId: row.replyToExternalId,
    })),
    skipDuplicates: true,
    select: { id: true, externalId: true },
  });
  const insertedIds = new Set(inserted.map((r) => r.id));
  work.result.counts.duplicates += described.length - inserted.length;
  for (const g of groups) {
    const lost = described.filter((x) => x.g === g && !insertedIds.has(x.row.id) && x.m.type !== "system").length;
    if (lost > 0) {
      // A concurrent delivery stored some of these first: they were counted as unread there.
      await tx.conversation.update({ where: { id: g.conversation.id }, data: { unreadCount: { decrement: lost } } });
    }
  }
  await afterStored(
    work,
    channel,
    described
      .filter((x) => insertedIds.has(x.row.id))
      .map((x) => ({
        id: x.row.id,
        contactId: x.g.contact.id,
        conversationId: x.g.conversation.id,
        message: x.m,
        described: x.d,
      })),
  );
}

/** Counts the stored messages, creates their media assets (download jobs) and records consent keywords. */
async function afterStored(work: Work, channel: InboundChannel, stored: StoredInbound[]): Promise<void> {
  const { tx } = work;
  work.result.counts.messages += stored.length;
  work.result.createdMessageIds.push(...stored.map((s) => s.id));
  const media = stored.filter((s) => s.described.media);
  if (media.length > 0) {
    const assets = media.map(({ id, described: d }) => ({
      id: randomUUID(),
      channelId: channel.id,
      messageId: id,
      providerMediaId: d.media!.providerMediaId,
      mimeType: d.media!.mimeType,
      filename: d.media!.filename,
      status: "pending" as const,
    }));
    await tx.mediaAsset.createMany({ data: assets });
    for (const a of assets)
      work.jobs.push({
        name: "media.download",
        payload: { mediaAssetId: a.id },
        jobId: jobIdFor("media.download", a.id),
      });
  }
  for (const s of stored) {
    if (!s.described.keywordText) continue;
    work.settings ??= await work.keywords.get(tx);
    const match = matchConsentKeyword(s.described.keywordText, work.settings);
    if (!match) continue;
    await recordKeywordConsent(work, s.contactId, s.conversationId, match, {
      messageId: s.id,
      wamid: s.message.id,
      text: s.described.keywordText,
      timestamp: s.message.timestamp,
    });
  }
}

async function recordKeywordConsent(
  work: Work,
  contactId: string,
  conversationId: string,
  kind: "opt_in" | "opt_out",
  evidence: { messageId: string; wamid: string; text: string; timestamp: string },
): Promise<void> {
  const { tx } = work;
  // "STOP" in the chat withdraws everything: the contact gets nothing but the opt-out confirmation. Opting in
  // again restores service messages and grants the configured purpose (marketing by default). A marketing-only
  // opt-out is what WhatsApp's own "stop promotions" (user_preferences, 131050) means; it is handled below.
  const purposes: ("service" | "marketing")[] =
    kind === "opt_out" ? ["service", "marketing"] : [...new Set(["service" as const, work.settings!.optInPurpose])];
  let first: { id: string } | undefined;
  for (const purpose of purposes) {
    const wording =
      kind === "opt_in"
        ? await tx.consentText.findFirst({ where: { purpose, isActive: true }, orderBy: [{ version: "desc" }] })
        : null;
    const consent = await tx.consent.create({
      data: {
        contactId,
        purpose,
        status: kind === "opt_in" ? "granted" : "withdrawn",
        source: "chat_keyword",
        wordingVersion: wording?.version ?? null,
        wordingText: wording?.text ?? null,
        evidence: { ...evidence, keyword: kind, conversationId },
        occurredAt: fromMetaTimestamp(evidence.timestamp),
      },
      select: { id: true },
    });
    first ??= consent;
    work.result.counts.consents++;
  }
  const consent = first!;
  work.jobs.push({
    name: "consent.confirm",
    payload: { contactId, conversationId, kind },
    jobId: jobIdFor("consent.confirm", consent.id),
  });
}

/** A marketing opt-out made inside WhatsApp withdraws marketing consent; "resume" is stored, not treated as opt-in. */
async function applyUserPreferences(
  work: Work,
  channel: InboundChannel,
  value: UserPreferencesValue,
): Promise<boolean> {
  let handled = false;
  for (const pref of value.user_preferences) {
    if (pref.category !== "marketing_messages" || pref.value !== "stop") continue;
    if (!pref.wa_id && !pref.user_id) continue;
    const occurredAt = fromMetaTimestamp(pref.timestamp);
    const contact = await resolveContact(work.tx, channel.id, { waId: pref.wa_id, userId: pref.user_id }, occurredAt);
    await work.tx.consent.create({
      data: {
        contactId: contact.id,
        purpose: "marketing",
        status: "withdrawn",
        source: "whatsapp",
        evidence: toJson({ webhook: "user_preferences", preference: pref }),
        occurredAt,
      },
    });
    work.result.counts.consents++;
    handled = true;
  }
  return handled;
}
