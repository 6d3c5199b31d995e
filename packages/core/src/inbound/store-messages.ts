import { randomUUID } from "node:crypto";
import { Prisma, type Message, type RunSql } from "@inbox/db";
import { jobIdFor, type JobName } from "@inbox/jobs";
import type { InboundChannel } from "./channel-directory";
import type { InboundElement } from "./describe-message-element";
import { cleanValue, type ContactIdentity } from "./resolve-contact";

/**
 * The job that hands new conversations to routing. The database function writes ONE to the outbox itself for all the
 * conversations a call opened, as `{ name, payload: {"conversationIds": ids}, jobId: jobIdFor(name, lowest id) }`
 * (the id prefix is passed in) — what `enqueueInTransaction` would write.
 */
export const ROUTE_JOB = "conversation.route" satisfies JobName;

/** A customer Meta identifies by phone only (no BSUID, no identity event), with their messages of this delivery. */
export interface PhoneSender {
  identity: ContactIdentity & { waId: string };
  elements: InboundElement[];
}

/** A customer whose contact the caller resolved already (BSUID, merges, identity events), with their messages. */
export interface ContactElements {
  contactId: string;
  elements: InboundElement[];
}

interface StoredConversation {
  id: string;
  contactId: string;
  teamId: string | null;
  assigneeId: string | null;
  /** Created by this call (its routing job is already in the outbox). */
  isNew: boolean;
}

export interface StoredInboundMessage {
  /** The row as stored. */
  row: Message;
  element: InboundElement;
  conversation: StoredConversation;
}

export interface StoreMessagesResult {
  /** The messages this call stored; a wamid stored before (or by a concurrent delivery) is not among them. */
  created: StoredInboundMessage[];
  /** contact id → the conversation its messages went to. */
  conversations: Map<string, StoredConversation>;
  /** Messages not stored because their wamid was (in this batch, before, or concurrently). */
  duplicates: number;
}

interface FunctionRow {
  created_ids: string[];
  stored_at: Date;
  contacts: Record<string, string>;
  conversations: StoredConversation[];
  duplicates: number;
}

/**
 * Stores customer messages with ONE call of the database write path `inbox_store_messages`
 * (prisma/migrations/…_inbound_one_write_path): known wamids skipped; the phone senders' contacts upserted (the
 * contacts of the others the caller resolved); conversations found, reopened or opened; lastInboundAt only moves
 * forward; unread counted; messages inserted; one routing job for the new conversations in the outbox. On a pool connection outside a transaction the call is its own transaction —
 * one round trip for a whole group-committed batch — and inside the full path's transaction it is one statement of
 * it. A conversation opened concurrently by another path raises 23505 or 40001 (retried by the caller).
 */
export async function storeMessages(
  run: RunSql,
  channel: Pick<InboundChannel, "id" | "defaultTeamId">,
  input: { phoneSenders?: PhoneSender[]; contacts?: ContactElements[] },
): Promise<StoreMessagesResult> {
  const phoneSenders = [...(input.phoneSenders ?? [])].sort((a, b) =>
    a.identity.waId < b.identity.waId ? -1 : a.identity.waId > b.identity.waId ? 1 : 0,
  );
  const seen = new Set<string>();
  const rows: { key: { waId: string } | { contactId: string }; element: InboundElement; row: Message }[] = [];
  let inBatch = 0;
  const add = (key: { waId: string } | { contactId: string }, elements: InboundElement[]) => {
    for (const element of elements) {
      if (seen.has(element.wamid)) {
        inBatch++;
        continue;
      }
      seen.add(element.wamid);
      rows.push({ key, element, row: inboundMessageRow(channel.id, element) });
    }
  };
  for (const s of phoneSenders) add({ waId: s.identity.waId }, s.elements);
  for (const c of input.contacts ?? []) add({ contactId: c.contactId }, c.elements);
  if (rows.length === 0) return { created: [], conversations: new Map(), duplicates: inBatch };
  // Messages stored together share their createdAt, and threads order ties by id: ids that grow in the order the
  // messages were written keep a delivery's messages (and merged deliveries of one customer) in that order.
  const ids = rows.map(() => randomUUID()).sort();
  rows.forEach((r, i) => (r.row.id = ids[i]!));

  const messageJson = rows.map(({ key, element, row }) => ({
    id: row.id,
    ...key,
    wamid: element.wamid,
    type: row.type,
    text: row.text,
    at: element.at?.toISOString() ?? null,
    reply: row.replyToExternalId,
    payload: element.payload,
    isCustomer: element.isCustomerMessage,
    errorCode: row.errorCode,
    errorTitle: row.errorTitle,
    errorDetails: row.errorDetails,
  }));
  // JSON parameters rather than a dozen arrays: one stringify here, one parse in Postgres.
  const [result] = await run<FunctionRow>(Prisma.sql`
    SELECT * FROM inbox_store_messages(${channel.id}::uuid, ${channel.defaultTeamId}::uuid, ${ROUTE_JOB},
      ${jobIdFor(ROUTE_JOB, "")}, ${JSON.stringify(messageJson)}::jsonb, ${JSON.stringify(phoneSenders.map(senderJson))}::jsonb)`);
  if (!result) throw new Error("the inbound write path returned no row");
  const conversations = new Map(result.conversations.map((c) => [c.contactId, c]));
  const contactOf = result.contacts;
  const createdIds = new Set(result.created_ids);
  const storedAt = new Date(result.stored_at);
  const created: StoredInboundMessage[] = [];
  for (const r of rows) {
    if (!createdIds.has(r.row.id)) continue;
    const contactId = "contactId" in r.key ? r.key.contactId : contactOf[r.key.waId];
    const conversation = contactId ? conversations.get(contactId) : undefined;
    if (!conversation) throw new Error("the inbound write path stored a message without its conversation");
    created.push({
      row: { ...r.row, conversationId: conversation.id, createdAt: storedAt, updatedAt: storedAt },
      element: r.element,
      conversation,
    });
  }
  return { created, conversations, duplicates: inBatch + result.duplicates };
}

function senderJson(s: PhoneSender) {
  const seenAt = s.elements.reduce<Date | null>((max, e) => (e.at && (!max || e.at > max) ? e.at : max), null);
  return {
    waId: s.identity.waId,
    parentUserId: cleanValue(s.identity.parentUserId),
    username: cleanValue(s.identity.username),
    profileName: cleanValue(s.identity.profileName),
    countryCode: cleanValue(s.identity.countryCode),
    seenAt: seenAt?.toISOString() ?? null,
  };
}

/**
 * The Message row of an inbound element as the write path stores it (conversation and storage time are filled in
 * when it is stored). One place for what an inbound row holds: the statement that inserts it and the live event
 * that announces it both read it from here.
 */
function inboundMessageRow(channelId: string, element: InboundElement): Message {
  const at = element.at ?? new Date();
  return {
    id: randomUUID(),
    conversationId: "",
    channelId,
    direction: "inbound",
    type: element.type,
    text: element.text,
    payload: element.payload as Prisma.JsonObject,
    externalId: element.wamid,
    clientId: null,
    isPrivate: false,
    status: "received",
    statusAt: at,
    sentAt: null,
    deliveredAt: null,
    readAt: null,
    failedAt: null,
    errorCode: element.error?.code ?? null,
    errorTitle: element.error?.title ?? null,
    errorDetails: element.error?.details ?? null,
    attempts: 0,
    sendStartedAt: null,
    senderId: null,
    replyToExternalId: element.replyToExternalId,
    templateName: null,
    templateLanguage: null,
    pricingCategory: null,
    providerTimestamp: element.at,
    redactedAt: null,
    createdAt: at,
    updatedAt: at,
  };
}
