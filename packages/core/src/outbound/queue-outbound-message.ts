import type { MessageDto, SendMessageBody } from "@inbox/contracts";
import {
  accessibleConversationSql,
  canAccessConversation,
  type AccessUser,
} from "../conversations/can-access-conversation";
import {
  isUniqueViolation,
  Prisma,
  pgSql,
  prismaSql,
  withTransaction,
  type ChannelType,
  type Db,
  type PgPool,
  type RunSql,
} from "@inbox/db";
import { AppError, isAppError } from "../errors/app-error";
import { createNoteIfAllowed, createOutboundMessage } from "../messages/create-outbound-message";
import { toMessageDto } from "../messages/to-message-dto";
import { isUuid } from "../shared/ids";
import type { LiveChanges } from "../shared/live-changes";
import { draftNote, draftOutboundMessage } from "./draft-outbound-message";
import { getChannelCapabilities } from "../channels/channel-registry";
import { assertContactNotSuppressed } from "../privacy/suppression";
import type { SecretBox } from "../secrets/secret-box";
import type { ConsentState } from "../consent/consent-rules";
import { currentConsentsSql } from "../consent/current-consents";

export interface QueueOutboundMessageDeps {
  db: Db;
  clock: () => Date;
  /** Called after the commit so the outbox relay drains the new job at once. */
  onOutboxWritten: () => void;
  /** Every console that may see the conversation learns of the new message (message.created). */
  live: LiveChanges;
  /** Reads the suppression key (stored encrypted) when the contact's number may have been erased. */
  secrets: SecretBox;
  /** The plain pg pool, when the process has one: the message is then stored without Prisma's per-query cost. */
  pgPool?: PgPool;
}

export interface QueueOutboundMessageInput {
  conversationId: string;
  body: SendMessageBody;
  /** The agent sending; null (the default) for automations. */
  senderId?: string | null;
  /** The user sending, whose access to the conversation is checked on the row read (403 forbidden otherwise). */
  access?: AccessUser;
  /** The confirmation of an opt-out: the one message an opted-out contact may receive. */
  isOptOutConfirmation?: boolean;
}

export interface QueueOutboundMessageResult {
  message: MessageDto;
  /** False when the clientId was seen before: the stored message is returned and nothing is sent again. */
  isNew: boolean;
}

/**
 * Stores an outbound message (a reply as `queued` with its `message.send` job in the same transaction; a private
 * note as `sent`) and tells the consoles. Idempotent on (conversationId, clientId), enforced by the unique
 * constraint: the same clientId returns the stored message and sends nothing again, also when two requests race.
 * The send rules are checked here and again by the worker right before the send.
 */
export async function queueOutboundMessage(
  deps: QueueOutboundMessageDeps,
  input: QueueOutboundMessageInput,
): Promise<QueueOutboundMessageResult> {
  const { db } = deps;
  const now = deps.clock();
  const { body } = input;
  const stored = () => findByClientId(db, input.conversationId, body.clientId);
  const run = deps.pgPool ? pgSql(deps.pgPool) : prismaSql(db);

  if (body.type === "note") return queueNote(deps, input, body, run, stored, now);

  const conversation = isUuid(input.conversationId)
    ? await loadOutboundContext(run, input.conversationId, body.clientId)
    : null;
  if (!conversation) throw new AppError("not_found", "Conversation not found.");
  if (input.access && !canAccessConversation(input.access, conversation)) {
    throw new AppError("forbidden", "You do not have access to this conversation.");
  }
  if (conversation.clientIdTaken) {
    const existing = await stored();
    if (existing) return { message: toMessageDto(existing), isNew: false };
  }
  const capabilities = getChannelCapabilities(conversation.channelType);

  // Most installations have no suppression at all; only then is the full check worth its queries.
  if (conversation.anySuppression) await assertContactNotSuppressed(db, deps.secrets, conversation.contactId);

  let created;
  try {
    const draft = await draftOutboundMessage(db, {
      conversation,
      body,
      senderId: input.senderId ?? null,
      isOptOutConfirmation: input.isOptOutConfirmation ?? false,
      now,
      capabilities,
      consents: conversation.consents,
    });
    const create = (run: RunSql) => createOutboundMessage(run, conversation, draft, now);
    // One statement, on the plain pool when there is one; with an attachment to claim, a transaction.
    created = draft.mediaAssetId ? await withTransaction({ db, pool: deps.pgPool }, create) : await create(run);
  } catch (error) {
    // A concurrent request with the same clientId won the race (took the attachment, or the unique key).
    const isRace = isUniqueViolation(error) || (isAppError(error) && error.code === "conflict");
    const winner = isRace ? await stored() : null;
    if (winner) return { message: toMessageDto(winner), isNew: false };
    throw error;
  }
  if (!created) {
    const winner = await stored();
    if (!winner) throw new AppError("conflict", "The message could not be stored; send it again.");
    return { message: toMessageDto(winner), isNew: false };
  }
  if (created.status === "queued") deps.onOutboxWritten();
  // The stored row (with its attachment) is the event: consoles learn of the reply without a read-back.
  deps.live.add({
    storedMessages: [{ row: created, teamId: conversation.teamId, assigneeId: conversation.assigneeId }],
  });
  return { message: toMessageDto(created), isNew: true };
}

/**
 * A private note: the conversation read, the access checked and the note stored in one statement (a note needs no
 * send rule, so nothing has to be decided in between); a taken clientId returns the stored message.
 */
async function queueNote(
  deps: QueueOutboundMessageDeps,
  input: QueueOutboundMessageInput,
  body: Extract<SendMessageBody, { type: "note" }>,
  run: RunSql,
  stored: () => ReturnType<typeof findByClientId>,
  now: Date,
): Promise<QueueOutboundMessageResult> {
  const access = input.access ? accessibleConversationSql(input.access, Prisma.sql`c`) : Prisma.sql`true`;
  const result = isUuid(input.conversationId)
    ? await createNoteIfAllowed(run, input.conversationId, access, draftNote(body, input.senderId ?? null), now)
    : null;
  if (!result) throw new AppError("not_found", "Conversation not found.");
  if (!result.isAllowed) throw new AppError("forbidden", "You do not have access to this conversation.");
  if (!result.message) {
    const existing = await stored();
    if (!existing) throw new AppError("conflict", "The message could not be stored; send it again.");
    return { message: toMessageDto(existing), isNew: false };
  }
  deps.live.add({
    storedMessages: [{ row: result.message, teamId: result.teamId, assigneeId: result.assigneeId }],
  });
  return { message: toMessageDto(result.message), isNew: true };
}

interface OutboundContext {
  id: string;
  channelId: string;
  contactId: string;
  lastInboundAt: Date | null;
  teamId: string | null;
  assigneeId: string | null;
  channelType: ChannelType;
  /** A message with this clientId exists already (a retried request): it is returned instead. */
  clientIdTaken: boolean;
  /** Any erased number is kept from messages (suppression entries exist at all). */
  anySuppression: boolean;
  /** The contact's current consents (the send rules' input). */
  consents: ConsentState[];
}

/**
 * What the send path needs before it drafts — the conversation, its access scope and channel, and the contact's
 * current consents (the query the send-policy check would otherwise run on its own) — in one round trip.
 */
async function loadOutboundContext(
  run: RunSql,
  conversationId: string,
  clientId: string,
): Promise<OutboundContext | null> {
  const [row] = await run<OutboundContext>(Prisma.sql`
    SELECT c."id", c."channelId", c."contactId", c."lastInboundAt", c."teamId", c."assigneeId",
      ch."type"::text AS "channelType",
      EXISTS (SELECT 1 FROM "Message" m WHERE m."conversationId" = c."id" AND m."clientId" = ${clientId})
        AS "clientIdTaken",
      EXISTS (SELECT 1 FROM "Suppression") AS "anySuppression",
      ${currentConsentsSql(Prisma.sql`c."contactId"`)} AS "consents"
    FROM "Conversation" c JOIN "Channel" ch ON ch."id" = c."channelId"
    WHERE c."id" = ${conversationId}::uuid`);
  return row ?? null;
}

async function findByClientId(db: Db, conversationId: string, clientId: string) {
  return db.message.findUnique({
    where: { conversationId_clientId: { conversationId, clientId } },
    include: { media: true },
  });
}
