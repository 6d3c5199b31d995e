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
  const key = { id, conversationId: conversation.id, draft, createdAt, now };
  const [created] = await run<Message>(Prisma.sql`
    WITH m AS (
      INSERT INTO "Message" ${MESSAGE_COLUMNS}
      SELECT ${messageValuesSql(key, Prisma.sql`${conversation.channelId}::uuid`)}
      ON CONFLICT ("conversationId", "clientId") DO NOTHING
      RETURNING *
    ), ${sideEffectsSql(key)}
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

/**
 * A private note stored in the same ONE statement that reads its conversation: stored only when the conversation
 * exists and `accessSql` (the user's access rule as SQL over the conversation row `c`) holds; the answer says which
 * (a note needs nothing else from the conversation before it is stored). Returns null when the conversation is
 * unknown; `message` is null when nothing was stored (no access, or the clientId is taken).
 */
export async function createNoteIfAllowed(
  db: DbTx | RunSql,
  conversationId: string,
  accessSql: Prisma.Sql,
  draft: OutboundMessageDraft,
  now: Date,
): Promise<{
  isAllowed: boolean;
  teamId: string | null;
  assigneeId: string | null;
  message: (Message & { media: OutboundMessageMedia[] }) | null;
} | null> {
  if (draft.status !== "sent" || draft.mediaAssetId) throw new Error("createNoteIfAllowed takes notes only");
  const run = runSqlOf(db);
  const id = randomUUID();
  const createdAt = new Date();
  const key = { id, conversationId, draft, createdAt, now };
  const [row] = await run<
    Message & { convIsAllowed: boolean; convTeamId: string | null; convAssigneeId: string | null }
  >(Prisma.sql`
    WITH ctx AS (
      SELECT c."id", c."channelId", c."teamId", c."assigneeId", (${accessSql}) AS "isAllowed"
      FROM "Conversation" c WHERE c."id" = ${conversationId}::uuid
    ), m AS (
      INSERT INTO "Message" ${MESSAGE_COLUMNS}
      SELECT ${messageValuesSql(key, Prisma.sql`ctx."channelId"`)} FROM ctx WHERE ctx."isAllowed"
      ON CONFLICT ("conversationId", "clientId") DO NOTHING
      RETURNING *
    ), ${sideEffectsSql(key)}
    SELECT m.*, ctx."isAllowed" AS "convIsAllowed", ctx."teamId" AS "convTeamId", ctx."assigneeId" AS "convAssigneeId"
    FROM ctx LEFT JOIN m ON true`);
  if (!row) return null;
  const { convIsAllowed, convTeamId, convAssigneeId, ...message } = row;
  return {
    isAllowed: convIsAllowed,
    teamId: convTeamId,
    assigneeId: convAssigneeId,
    message: message.id ? { ...message, media: [] } : null,
  };
}

/** A new message's id and content, and the clocks of the statement storing it. */
interface MessageKey {
  id: string;
  conversationId: string;
  draft: OutboundMessageDraft;
  /** The row's own timestamps (the wall clock's, as Prisma wrote them). */
  createdAt: Date;
  /** The conversation's activity (the use case's clock). */
  now: Date;
}

const MESSAGE_COLUMNS = Prisma.sql`("id", "conversationId", "channelId", "direction", "type", "text", "payload",
  "clientId", "senderId", "status", "statusAt", "sentAt", "isPrivate", "replyToExternalId", "templateName",
  "templateLanguage", "createdAt", "updatedAt")`;

/** The new row's values as a SELECT list; `channelId` is SQL (a parameter, or a column of the statement's source). */
function messageValuesSql({ id, conversationId, draft, createdAt }: MessageKey, channelId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`${id}::uuid, ${conversationId}::uuid, ${channelId}, 'outbound', ${draft.type},
        ${draft.text}, ${JSON.stringify(draft.payload ?? {})}::jsonb, ${draft.clientId}, ${draft.senderId}::uuid,
        ${draft.status}::"MessageStatus", ${sqlTimestamp(createdAt)}, ${sqlTimestamp(draft.sentAt)},
        ${draft.isPrivate ?? false}, ${draft.replyToExternalId ?? null}, ${draft.templateName ?? null},
        ${draft.templateLanguage ?? null}, ${sqlTimestamp(createdAt)}, ${sqlTimestamp(createdAt)}`;
}

/**
 * What a stored row `m` brings along, as CTEs: the conversation's activity, and for a message to the customer its
 * `message.send` job in the outbox (nothing when `m` is empty).
 */
function sideEffectsSql({ id, conversationId, draft, createdAt, now }: MessageKey): Prisma.Sql {
  const countsAsResponse = draft.senderId !== null && !(draft.isPrivate ?? false);
  const job =
    draft.status === "queued"
      ? outboxRowOf(
          { name: "message.send", payload: { messageId: id }, jobId: jobIdFor("message.send", id) },
          createdAt.getTime(),
        )
      : null;
  return Prisma.sql`activity AS (
      UPDATE "Conversation"
      SET "lastMessageAt" = ${sqlTimestamp(now)}, "updatedAt" = ${sqlTimestamp(createdAt)},
        "firstResponseAt" = CASE WHEN ${countsAsResponse} THEN COALESCE("firstResponseAt", ${sqlTimestamp(now)})
          ELSE "firstResponseAt" END
      WHERE "id" = ${conversationId}::uuid AND EXISTS (SELECT 1 FROM m)
    ), job AS (
      INSERT INTO "OutboxJob" ("name", "payload", "jobId", "availableAt", "createdAt")
      SELECT ${job?.name ?? ""}, ${JSON.stringify(job?.payload ?? {})}::jsonb, ${job?.jobId ?? ""},
        ${sqlTimestamp(job?.availableAt ?? createdAt)}, ${sqlTimestamp(createdAt)}
      FROM m WHERE ${job !== null}
      ON CONFLICT DO NOTHING
    )`;
}
