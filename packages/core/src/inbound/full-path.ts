import { randomUUID } from "node:crypto";
import { prismaSql, toJsonValue, type Contact, type DbTx, type Prisma } from "@inbox/db";
import { enqueueInTransaction, jobIdFor, type OutboxEntry } from "@inbox/jobs";
import type { Logger } from "@inbox/logger";
import {
  matchConsentKeyword,
  type ConsentKeywordCache,
  type ConsentKeywordSettings,
} from "../consent/consent-keywords";
import { recordConsent } from "../consent/record-consent";
import type { DeliveryResult } from "./apply-whatsapp-delivery";
import { applyStatusReports, toStatusReports } from "./apply-status-events";
import type { InboundChannel } from "./channel-directory";
import type { InboundElement } from "./describe-message-element";
import { findKnownExternalIds } from "./key-lookups";
import { fromMetaTimestamp } from "./meta-time";
import type { PreparedDelivery, PreparedMessagesValue, PreparedPreferences } from "./prepare-delivery";
import { toQuarantineRows } from "./quarantine-parts";
import { withoutKeptContent } from "./webhook-event-keys";
import { changeContactIdentifier, resolveContact } from "./resolve-contact";
import { groupBySender, isPhoneSender } from "./sender-identity";
import { storeMessages, type ContactElements, type PhoneSender, type StoredInboundMessage } from "./store-messages";

export interface FullPathOptions {
  keywords: ConsentKeywordCache;
  log?: Logger | undefined;
  /** When the delivery was first received (reprocessing keeps it on parts quarantined again). */
  receivedAt?: Date | undefined;
  /** A quarantined delivery being reprocessed: marked handled in the same transaction. */
  handledWebhookEventId?: string | undefined;
}

interface Work {
  tx: DbTx;
  options: FullPathOptions;
  jobs: OutboxEntry[];
  result: DeliveryResult;
  conversationIds: Set<string>;
  settings?: ConsentKeywordSettings;
}

export function emptyResult(path: DeliveryResult["path"]): DeliveryResult {
  return {
    path,
    outboxWritten: false,
    createdMessageIds: [],
    storedMessages: [],
    updatedMessageIds: [],
    conversationIds: [],
    counts: { messages: 0, duplicates: 0, statuses: 0, webhookEvents: 0, consents: 0, quarantined: 0, unsupported: 0 },
  };
}

/**
 * The FULL PATH, in one Prisma interactive transaction: who each customer is is settled in TypeScript
 * (`resolveContact`: BSUID, merges, `user_changed_number` / `user_changed_user_id`), then the messages go through the
 * same database write path as the fast path (`storeMessages`, phone-only senders upserted there). After that: media
 * assets and their download jobs, consent keywords, WhatsApp's marketing preferences, fields kept for the record and
 * quarantined parts. All of it commits together with its outbox jobs, or nothing does.
 */
export async function applyFullPath(
  tx: DbTx,
  prepared: PreparedDelivery,
  options: FullPathOptions,
): Promise<DeliveryResult> {
  const work: Work = { tx, options, jobs: [], result: emptyResult("full"), conversationIds: new Set() };
  for (const value of prepared.values) await applyMessagesValue(work, value);
  // A reprocessed part is handled before anything of it is stored again (it may be quarantined anew).
  if (options.handledWebhookEventId) {
    await tx.webhookEvent.update({ where: { id: options.handledWebhookEventId }, data: { handledAt: new Date() } });
  }
  const seen = new Set<string>();
  const events: Prisma.WebhookEventCreateManyInput[] = [];
  for (const p of prepared.preferences) {
    const row = {
      channelId: p.channel.id,
      field: "user_preferences",
      payload: toJsonValue({ wabaId: p.wabaId, value: p.value ?? null }),
    };
    // A redelivered preference is neither applied nor stored again.
    const [fresh] = await withoutKeptContent(tx, [row], seen);
    if (!fresh) continue;
    const handled = await applyUserPreferences(work, p);
    events.push({ ...fresh, handledAt: handled ? new Date() : null });
  }
  const others: Prisma.WebhookEventCreateManyInput[] = prepared.records.map((r) => ({
    channelId: r.channelId,
    field: r.field,
    payload: toJsonValue(r.payload),
  }));
  others.push(...toQuarantineRows(prepared.quarantine, options.receivedAt, options.log));
  const fresh = await withoutKeptContent(tx, others, seen);
  events.push(...fresh);
  if (events.length > 0) {
    await tx.webhookEvent.createMany({ data: events });
    work.result.counts.webhookEvents = events.length;
  }
  // Counted as quarantined whether kept now or by an earlier delivery: the part is waiting either way.
  work.result.counts.quarantined = prepared.quarantine.length;
  await enqueueInTransaction(tx, work.jobs);
  work.result.outboxWritten ||= work.jobs.length > 0;
  work.result.conversationIds = [...work.conversationIds];
  return work.result;
}

async function applyMessagesValue(work: Work, value: PreparedMessagesValue): Promise<void> {
  const { tx } = work;
  if (value.elements.length > 0) {
    // Known wamids skip all work — a redelivery must not reopen a conversation, and must not touch the contact (an
    // old delivery would bring back an old profile); the write path checks again, a concurrent duplicate is stopped
    // by the unique index.
    const known = await findKnownExternalIds(prismaSql(tx), value.channel.id, [
      ...new Set(value.elements.map((e) => e.wamid)),
    ]);
    const seen = new Set<string>();
    const fresh = value.elements.filter((e) => {
      if (known.has(e.wamid) || seen.has(e.wamid)) return false;
      seen.add(e.wamid);
      return true;
    });
    work.result.counts.duplicates += value.elements.length - fresh.length;
    const phoneSenders: PhoneSender[] = [];
    const contacts: ContactElements[] = [];
    for (const group of groupBySender(value.contacts, fresh)) {
      if (isPhoneSender(group)) {
        phoneSenders.push(group);
        continue;
      }
      const newest = group.elements.reduce<Date | null>((max, e) => (e.at && (!max || e.at > max) ? e.at : max), null);
      let contact = await resolveContact(tx, value.channel.id, group.identity, newest ?? new Date());
      contact = await applyIdentityChanges(tx, contact, group.elements);
      contacts.push({ contactId: contact.id, elements: group.elements });
    }
    const stored = await storeMessages(prismaSql(tx), value.channel, { phoneSenders, contacts });
    for (const c of stored.conversations.values()) {
      work.conversationIds.add(c.id);
      // The write path put the routing jobs of the conversations it opened in the outbox itself.
      if (c.isNew) work.result.outboxWritten = true;
    }
    work.result.counts.duplicates += stored.duplicates;
    await afterStored(work, value.channel, stored.created);
  }
  if (value.statuses.length > 0) {
    const { recorded, updatedMessageIds } = await applyStatusReports(
      prismaSql(tx),
      value.channel.id,
      toStatusReports(value.statuses),
    );
    work.result.counts.statuses += recorded;
    work.result.updatedMessageIds.push(...updatedMessageIds);
  }
}

/** user_changed_number / user_changed_user_id move the contact's identifiers, so its history stays with the person. */
async function applyIdentityChanges(tx: DbTx, contact: Contact, elements: InboundElement[]): Promise<Contact> {
  let current = contact;
  for (const { identityChange: change } of elements) {
    if (!change) continue;
    if (change.kind === "number") current = await changeContactIdentifier(tx, current, "waId", change.waId);
    if (change.userId) current = await changeContactIdentifier(tx, current, "userId", change.userId);
    if (change.parentUserId && current.parentUserId !== change.parentUserId) {
      current = await tx.contact.update({ where: { id: current.id }, data: { parentUserId: change.parentUserId } });
    }
  }
  return current;
}

/** Counts the stored messages, creates their media assets (download jobs) and records consent keywords. */
async function afterStored(work: Work, channel: InboundChannel, stored: StoredInboundMessage[]): Promise<void> {
  const { tx, result } = work;
  result.counts.messages += stored.length;
  for (const s of stored) {
    result.createdMessageIds.push(s.row.id);
    result.storedMessages.push({ row: s.row, teamId: s.conversation.teamId, assigneeId: s.conversation.assigneeId });
    if (s.element.unsupported) {
      result.counts.unsupported++;
      work.options.log?.info(
        { messageId: s.row.id, why: s.element.unsupported, errorCode: s.element.error?.code ?? null },
        "inbound message kept as unsupported",
      );
    }
  }
  const media = stored.filter((s) => s.element.media);
  if (media.length > 0) {
    const assets = media.map(({ row, element }) => ({
      id: randomUUID(),
      channelId: channel.id,
      messageId: row.id,
      providerMediaId: element.media!.providerMediaId,
      mimeType: element.media!.mimeType,
      filename: element.media!.filename,
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
    if (!s.element.keywordText) continue;
    work.settings ??= await work.options.keywords.get(tx);
    const kind = matchConsentKeyword(s.element.keywordText, work.settings);
    if (!kind) continue;
    // "STOP" in the chat withdraws everything: the contact gets nothing but the opt-out confirmation. Opting in
    // again restores service messages and grants the configured purpose (marketing by default). A marketing-only
    // opt-out is what WhatsApp's own "stop promotions" (user_preferences, 131050) means.
    const ids = await recordConsent(tx, {
      contactId: s.conversation.contactId,
      purposes: kind === "opt_out" ? ["service", "marketing"] : ["service", work.settings.optInPurpose],
      status: kind === "opt_in" ? "granted" : "withdrawn",
      source: "chat_keyword",
      evidence: {
        messageId: s.row.id,
        wamid: s.element.wamid,
        text: s.element.keywordText,
        timestamp: s.row.providerTimestamp?.toISOString() ?? null,
        keyword: kind,
        conversationId: s.conversation.id,
      },
      occurredAt: s.row.providerTimestamp ?? new Date(),
      withActiveWording: kind === "opt_in",
    });
    work.result.counts.consents += ids.length;
    work.jobs.push({
      name: "consent.confirm",
      payload: { contactId: s.conversation.contactId, conversationId: s.conversation.id, kind },
      jobId: jobIdFor("consent.confirm", ids[0]!),
    });
  }
}

/** A marketing opt-out made inside WhatsApp withdraws marketing consent; "resume" is stored, not treated as opt-in. */
async function applyUserPreferences(work: Work, prepared: PreparedPreferences): Promise<boolean> {
  let handled = false;
  for (const pref of prepared.preferences) {
    if (pref.category !== "marketing_messages" || pref.value !== "stop") continue;
    const occurredAt = fromMetaTimestamp(pref.timestamp);
    const contact = await resolveContact(
      work.tx,
      prepared.channel.id,
      { waId: pref.wa_id, userId: pref.user_id },
      occurredAt,
    );
    await recordConsent(work.tx, {
      contactId: contact.id,
      purposes: ["marketing"],
      status: "withdrawn",
      source: "whatsapp",
      evidence: toJsonValue<Prisma.InputJsonObject>({ webhook: "user_preferences", preference: pref }),
      occurredAt,
    });
    work.result.counts.consents++;
    handled = true;
  }
  return handled;
}
