import { randomUUID } from "node:crypto";
import { Prisma, runSqlOf, sqlTimestamp, type DbTx, type MediaAsset, type Message, type RunSql } from "@inbox/db";
import { jobIdFor, outboxRowOf } from "@inbox/jobs";
import { AppError } from "../errors/app-error";

/** An outbound message as a use case composed it, before it is stored. */
export interface OutboundMessageDraft {
  type: Message["type"];
  text: string | null;
  /** Idempotency key: a second draft with the same clientId in the conversation is not stored. */
  clientId: string;
  /** The agent sending; null for automations (auto replies, confirmations). */
  senderId: string | null;
  /**
   * `queued` goes to the customer (a `message.send` job); `sent` is final at once (private notes, and messages on a
   * live channel such as web chat, which reach the customer through their live event).
   */
  status: "queued" | "sent";
  /** When a message to the customer is final at once (live channels). */
  sentAt?: Date;
  isPrivate?: boolean;
  payload?: Prisma.InputJsonObject;
  replyToExternalId?: string | null;
  templateName?: string | null;
  templateLanguage?: string | null;
  /** An uploaded attachment the message takes (it belongs to one message only). */
  mediaAssetId?: string;
}

export interface OutboundConversation {
  id: string;
  channelId: string;
}

/** The attachment's fields a message DTO shows. */
export type OutboundMessageMedia = Pick<MediaAsset, "id" | "mimeType" | "filename" | "sizeBytes" | "status">;

/**
 * The one way an outbound message comes into being: the row, the conversation's activity (lastMessageAt, the first
 * response of an agent) and — for a message to the customer — its `message.send` job in the outbox, all in ONE
 * statement, so the row and its job commit together or not at all (and an agent's reply costs one round trip, not a
 * transaction of four Prisma calls). A draft with an attachment also claims it (a second statement): run that in the
 * caller's transaction, which the failed claim rolls back.
 * Returns null when the conversation already has a message with the draft's clientId (nothing is stored then).
 */
export async function createOutboundMessage(
  db: DbTx | RunSql,
  conversation: OutboundConversation,
  draft: OutboundMessageDraft,
  now: Date,
): Promise<(Message & { media: OutboundMessageMedia[] }) | null> {
  const run = runSqlOf(db);
  const id = randomUUID();
  // As Prisma wrote them: the row's own timestamps are the wall clock's, its activity the use case's `now`.
  const createdAt = new Date();
  const isPrivate = draft.isPrivate ?? false;
  const countsAsResponse = draft.senderId !== null && !isPrivate;
  const job =
    draft.status === "queued"
      ? outboxRowOf(
          { name: "message.send", payload: { messageId: id }, jobId: jobIdFor("message.send", id) },
          createdAt.getTime(),
        )
      : null;
  const [created] = await run<Message>(Prisma.sql`
    WITH m AS (
      INSERT INTO "Message" ("id", "conversationId", "channelId", "direction", "type", "text", "payload", "clientId",
        "senderId", "status", "statusAt", "sentAt", "isPrivate", "replyToExternalId", "templateName",
        "templateLanguage", "createdAt", "updatedAt")
      VALUES (${id}::uuid, ${conversation.id}::uuid, ${conversation.channelId}::uuid, 'outbound', ${draft.type},
        ${draft.text}, ${JSON.stringify(draft.payload ?? {})}::jsonb, ${draft.clientId}, ${draft.senderId}::uuid,
        ${draft.status}::"MessageStatus", ${sqlTimestamp(createdAt)}, ${sqlTimestamp(draft.sentAt)}, ${isPrivate},
        ${draft.replyToExternalId ?? null}, ${draft.templateName ?? null}, ${draft.templateLanguage ?? null},
        ${sqlTimestamp(createdAt)}, ${sqlTimestamp(createdAt)})
      ON CONFLICT ("conversationId", "clientId") DO NOTHING
      RETURNING *
    ), activity AS (
      UPDATE "Conversation"
      SET "lastMessageAt" = ${sqlTimestamp(now)}, "updatedAt" = ${sqlTimestamp(createdAt)},
        "firstResponseAt" = CASE WHEN ${countsAsResponse} THEN COALESCE("firstResponseAt", ${sqlTimestamp(now)})
          ELSE "firstResponseAt" END
      WHERE "id" = ${conversation.id}::uuid AND EXISTS (SELECT 1 FROM m)
    ), job AS (
      INSERT INTO "OutboxJob" ("name", "payload", "jobId", "availableAt", "createdAt")
      SELECT ${job?.name ?? ""}, ${JSON.stringify(job?.payload ?? {})}::jsonb, ${job?.jobId ?? ""},
        ${sqlTimestamp(job?.availableAt ?? createdAt)}, ${sqlTimestamp(createdAt)}
      FROM m WHERE ${job !== null}
      ON CONFLICT DO NOTHING
    )
    SELECT * FROM m`);
  if (!created) return null;
  if (!draft.mediaAssetId) return { ...created, media: [] };
  // The attachment belongs to one message: a second message cannot take it (unused, same channel).
  const media = await run<OutboundMessageMedia>(Prisma.sql`
    UPDATE "MediaAsset" SET "messageId" = ${id}::uuid, "updatedAt" = ${sqlTimestamp(createdAt)}
    WHERE "id" = ${draft.mediaAssetId}::uuid AND "messageId" IS NULL AND "channelId" = ${conversation.channelId}::uuid
    RETURNING "id", "mimeType", "filename", "sizeBytes", "status"::text AS "status"`);
  if (media.length !== 1) throw new AppError("conflict", "The attachment was already sent with another message.");
  return { ...created, media };
}
