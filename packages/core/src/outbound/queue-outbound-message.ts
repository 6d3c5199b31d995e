import type { MessageDto, SendMessageBody } from "@inbox/contracts";
import { isUniqueViolation, type Db } from "@inbox/db";
import { AppError, isAppError } from "../errors/app-error";
import { createOutboundMessage } from "../messages/create-outbound-message";
import { toMessageDto } from "../messages/to-message-dto";
import { isUuid } from "../shared/ids";
import type { LiveChanges } from "../shared/live-changes";
import { draftOutboundMessage } from "./draft-outbound-message";
import { getChannelCapabilities } from "../channels/channel-registry";
import { assertContactNotSuppressed } from "../privacy/suppression";

export interface QueueOutboundMessageDeps {
  db: Db;
  clock: () => Date;
  /** Called after the commit so the outbox relay drains the new job at once. */
  onOutboxWritten: () => void;
  /** Every console that may see the conversation learns of the new message (message.created). */
  live: LiveChanges;
}

export interface QueueOutboundMessageInput {
  conversationId: string;
  body: SendMessageBody;
  /** The agent sending; null (the default) for automations. */
  senderId?: string | null;
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

  const existing = isUuid(input.conversationId) ? await stored() : null;
  if (existing) return { message: toMessageDto(existing), isNew: false };
  const conversation = isUuid(input.conversationId)
    ? await db.conversation.findUnique({
        where: { id: input.conversationId },
        select: {
          id: true,
          channelId: true,
          contactId: true,
          lastInboundAt: true,
          firstResponseAt: true,
          channel: { select: { type: true } },
        },
      })
    : null;
  if (!conversation) throw new AppError("not_found", "Conversation not found.");
  const capabilities = getChannelCapabilities(conversation.channel.type);

  if (body.type !== "note") await assertContactNotSuppressed(db, conversation.contactId);

  let created;
  try {
    const draft = await draftOutboundMessage(db, {
      conversation,
      body,
      senderId: input.senderId ?? null,
      isOptOutConfirmation: input.isOptOutConfirmation ?? false,
      now,
      capabilities,
    });
    created = await db.$transaction((tx) => createOutboundMessage(tx, conversation, draft, now));
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
  deps.live.add({ createdMessageIds: [created.id] });
  return { message: toMessageDto(created), isNew: true };
}

async function findByClientId(db: Db, conversationId: string, clientId: string) {
  return db.message.findUnique({
    where: { conversationId_clientId: { conversationId, clientId } },
    include: { media: true },
  });
}
