import { randomUUID } from "node:crypto";
import { Prisma, type Message, type RunSql } from "@inbox/db";
import type { JobName } from "@inbox/jobs";
import type { InboundMessage } from "@inbox/whatsapp";
import { SERVICE_WINDOW_MS } from "../conversations/window";
import type { InboundChannel } from "./channel-directory";
import { describeInboundMessage, type DescribedMessage } from "./describe-inbound-message";
import { fromMetaTimestamp } from "./meta-time";
import { cleanValue, type ContactIdentity } from "./resolve-contact";

/**
 * The job that hands a new conversation to routing. The database function writes it to the outbox itself, as
 * `{ name, payload: {"conversationId": id}, jobId: "<name>-<id>" }` — what `enqueueInTransaction` would write.
 */
export const ROUTE_JOB = "conversation.route" satisfies JobName;

/** A customer Meta identifies by phone only (no BSUID), with the customer messages of this delivery. */
export interface PhoneSender {
  identity: ContactIdentity & { waId: string };
  messages: InboundMessage[];
}

interface StoredConversation {
  id: string;
  contactId: string;
  teamId: string | null;
  assigneeId: string | null;
  /** Created by this call (its routing job is already in the outbox). */
  isNew: boolean;
}

interface StoredInboundMessage {
  /** The row as stored. */
  row: Message;
  message: InboundMessage;
  described: DescribedMessage;
  conversation: StoredConversation;
}

export interface PhoneSendersResult {
  /** The messages this call stored; a wamid stored before (or by a concurrent delivery) is not among them. */
  created: StoredInboundMessage[];
  /** waId → the conversation its messages went to. */
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
 * Stores the customer messages of phone-identified senders with one call of the database function
 * `inbox_store_inbound_messages` (prisma/migrations/…_inbound_hot_path): known wamids skipped, contacts locked in
 * waId order and created or updated, conversations found, reopened or opened (the window only moving forward),
 * messages inserted, routing jobs for new conversations in the outbox. On a pool connection outside a transaction
 * the call is its own transaction — one round trip for a whole group-committed batch — and inside the full path's
 * transaction it is one statement of it. A conversation opened concurrently by another path raises 40001 (retry).
 */
export async function storePhoneSenderMessages(
  run: RunSql,
  channel: InboundChannel,
  senders: PhoneSender[],
): Promise<PhoneSendersResult> {
  const sorted = [...senders].sort((a, b) =>
    a.identity.waId < b.identity.waId ? -1 : a.identity.waId > b.identity.waId ? 1 : 0,
  );
  const seen = new Set<string>();
  const rows: { waId: string; message: InboundMessage; described: DescribedMessage; row: Message }[] = [];
  let inBatch = 0;
  for (const sender of sorted) {
    for (const message of sender.messages) {
      if (seen.has(message.id)) {
        inBatch++;
        continue;
      }
      seen.add(message.id);
      const described = describeInboundMessage(message);
      rows.push({
        waId: sender.identity.waId,
        message,
        described,
        row: inboundMessageRow(channel.id, message, described),
      });
    }
  }
  const senderJson = sorted.map((s) => ({
    waId: s.identity.waId,
    parentUserId: cleanValue(s.identity.parentUserId),
    username: cleanValue(s.identity.username),
    profileName: cleanValue(s.identity.profileName),
    countryCode: cleanValue(s.identity.countryCode),
  }));
  const messageJson = rows.map((r) => ({
    id: r.row.id,
    from: r.waId,
    wamid: r.message.id,
    type: r.row.type,
    text: r.row.text,
    at: r.row.providerTimestamp!.toISOString(),
    reply: r.row.replyToExternalId,
    payload: r.message,
  }));
  // Two JSON parameters rather than a dozen arrays: one stringify here, one parse in Postgres.
  const [result] = await run<FunctionRow>(Prisma.sql`
    SELECT * FROM inbox_store_inbound_messages(
      ${channel.id}::uuid, ${channel.defaultTeamId}::uuid, make_interval(secs => ${SERVICE_WINDOW_MS / 1000}), ${ROUTE_JOB},
      ${JSON.stringify(senderJson)}::jsonb, ${JSON.stringify(messageJson)}::jsonb)`);
  if (!result) throw new Error("inbox_store_inbound_messages returned no row");
  const byContact = new Map(result.conversations.map((c) => [c.contactId, c]));
  const conversations = new Map<string, StoredConversation>();
  for (const [waId, contactId] of Object.entries(result.contacts ?? {})) {
    const conversation = byContact.get(contactId);
    if (conversation) conversations.set(waId, conversation);
  }
  const createdIds = new Set(result.created_ids);
  const storedAt = new Date(result.stored_at);
  const created = rows
    .filter((r) => createdIds.has(r.row.id))
    .map((r) => {
      const conversation = conversations.get(r.waId)!;
      return {
        row: { ...r.row, conversationId: conversation.id, createdAt: storedAt, updatedAt: storedAt },
        message: r.message,
        described: r.described,
        conversation,
      };
    });
  return { created, conversations, duplicates: inBatch + result.duplicates };
}

/**
 * The Message row of a customer message as the receiver stores it (conversation and storage time are filled in
 * when it is stored). One place for what an inbound row holds: the statement that inserts it and the live event
 * that announces it both read it from here.
 */
export function inboundMessageRow(channelId: string, message: InboundMessage, described: DescribedMessage): Message {
  const at = fromMetaTimestamp(message.timestamp);
  return {
    id: randomUUID(),
    conversationId: "",
    channelId,
    direction: "inbound",
    type: message.type,
    text: described.text,
    payload: message as unknown as Prisma.JsonObject,
    externalId: message.id,
    clientId: null,
    isPrivate: false,
    status: "received",
    statusAt: at,
    sentAt: null,
    deliveredAt: null,
    readAt: null,
    failedAt: null,
    errorCode: null,
    errorTitle: null,
    errorDetails: null,
    attempts: 0,
    sendStartedAt: null,
    senderId: null,
    replyToExternalId: described.replyToExternalId,
    templateName: null,
    templateLanguage: null,
    pricingCategory: null,
    providerTimestamp: at,
    redactedAt: null,
    createdAt: at,
    updatedAt: at,
  };
}
