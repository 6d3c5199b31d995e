import type { MessageDto, SendMessageBody } from "@inbox/contracts";
import { isUniqueViolation, type Db, type MediaAsset, type Message, type Prisma } from "@inbox/db";
import { enqueueInTransaction } from "@inbox/jobs";
import { AppError, isAppError } from "../errors/app-error";
import { evaluateSendPolicy } from "./evaluate-send-policy";
import { toMessageDto } from "./to-message-dto";
import type { LivePublisher } from "../realtime/live-publisher";
import { publishMessageEvent } from "./publish-message-event";
import { OUTBOUND_MEDIA_LIMITS, type AttachmentType } from "../media/classify-attachment";
import { isUuid } from "../conversations/conversation-scope";
import { prepareTemplateSend, templateHeaderAssetId } from "./prepare-template-send";

export interface QueueOutboundMessageDeps {
  db: Db;
  clock?: () => Date;
  /** Called after the commit so the outbox relay drains the new job at once. */
  onOutboxWritten?: () => void;
  /** Live updates to consoles (message.created). */
  live?: LivePublisher;
}

export interface QueueOutboundMessageInput {
  conversationId: string;
  body: SendMessageBody;
  /** The agent sending; null for automations. */
  senderId?: string | null;
  /** The confirmation of an opt-out: the one message an opted-out contact may receive. */
  isOptOutConfirmation?: boolean;
  /** What an automatic text is (kept in its payload, e.g. `{ kind: "consent_request", wordingVersion }`). */
  meta?: Prisma.InputJsonObject;
}

export interface QueueOutboundMessageResult {
  message: MessageDto;
  /** False when the clientId was seen before: the stored message is returned and nothing is sent again. */
  isNew: boolean;
}

/** BullMQ job id of a message's send: one per message, so a re-drained outbox row never enqueues twice. */
export function sendJobIdFor(messageId: string): string {
  return `message.send-${messageId}`;
}

/** Positional ("1", "2", …) parameters in order; named ones by name. */
export function orderedTemplateParameters(parameters: Record<string, string>): { name: string; value: string }[] {
  return Object.entries(parameters)
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => {
      const na = Number(a.name);
      const nb = Number(b.name);
      if (Number.isInteger(na) && Number.isInteger(nb)) return na - nb;
      return a.name.localeCompare(b.name);
    });
}

/**
 * Stores an outbound message as `queued` and records its `message.send` job in the same transaction (outbox):
 * either both exist or neither. Idempotent on (conversationId, clientId), enforced by the unique constraint:
 * the same clientId returns the stored message and sends nothing again. The send rules are checked here and
 * again by the worker right before the send.
 */
export async function queueOutboundMessage(
  deps: QueueOutboundMessageDeps,
  input: QueueOutboundMessageInput,
): Promise<QueueOutboundMessageResult> {
  const { db } = deps;
  const now = deps.clock?.() ?? new Date();
  const { body } = input;

  const existing = await findByClientId(db, input.conversationId, body.clientId);
  if (existing) return { message: toMessageDto(existing), isNew: false };

  const conversation = await db.conversation.findUnique({
    where: { id: input.conversationId },
    select: { id: true, channelId: true, contactId: true, lastInboundAt: true, firstResponseAt: true },
  });
  if (!conversation) throw new AppError("not_found", "Conversation not found.");

  let data: Prisma.MessageUncheckedCreateInput;
  if (body.type === "note") {
    data = {
      conversationId: conversation.id,
      channelId: conversation.channelId,
      direction: "outbound",
      type: "note",
      text: body.text,
      isPrivate: true,
      status: "sent",
      clientId: body.clientId,
      senderId: input.senderId ?? null,
    };
  } else {
    const { decision, template } = await evaluateSendPolicy(db, {
      channelId: conversation.channelId,
      contactId: conversation.contactId,
      lastInboundAt: conversation.lastInboundAt,
      now,
      kind: body.type === "template" ? "template" : "free_form",
      template: body.type === "template" ? body.template : undefined,
      isOptOutConfirmation: input.isOptOutConfirmation,
    });
    if (!decision.ok) throw new AppError(decision.code, decision.reason);
    const base = {
      conversationId: conversation.id,
      channelId: conversation.channelId,
      direction: "outbound" as const,
      status: "queued" as const,
      clientId: body.clientId,
      senderId: input.senderId ?? null,
    };
    if (body.type === "text") {
      data = {
        ...base,
        type: "text",
        text: body.text,
        replyToExternalId: body.replyTo ?? null,
        payload: { ...input.meta, isOptOutConfirmation: input.isOptOutConfirmation ?? false },
      };
    } else if (body.type !== "template") {
      if (body.caption && (body.type === "audio" || body.type === "sticker")) {
        throw new AppError(
          "validation_failed",
          "WhatsApp does not show captions on audio or stickers: send the text separately.",
        );
      }
      let asset: MediaAsset;
      try {
        asset = await findSendableAsset(db, body.mediaId, conversation.channelId, body.type);
      } catch (error) {
        // A concurrent request with the same clientId took the attachment first: answer with its message.
        const winner = await findByClientId(db, input.conversationId, body.clientId);
        if (winner) return { message: toMessageDto(winner), isNew: false };
        throw error;
      }
      data = {
        ...base,
        type: body.type,
        text: body.caption || null,
        payload: {
          media: {
            mediaAssetId: asset.id,
            ...(body.caption ? { caption: body.caption } : {}),
            ...(body.type === "document" ? { filename: body.filename || asset.filename || "document" } : {}),
          },
        },
      };
    } else {
      const tpl = template!;
      const { stored, text, structure } = prepareTemplateSend(tpl, body.template);
      const headerAssetId = stored.header && stored.header.type !== "text" ? stored.header.mediaAssetId : undefined;
      if (headerAssetId && structure.header) {
        const type = stored.header!.type as AttachmentType;
        try {
          await findSendableAsset(db, headerAssetId, conversation.channelId, type);
        } catch (error) {
          const winner = await findByClientId(db, input.conversationId, body.clientId);
          if (winner) return { message: toMessageDto(winner), isNew: false };
          throw error;
        }
      }
      data = {
        ...base,
        type: "template",
        text,
        templateName: tpl.name,
        templateLanguage: tpl.language,
        payload: {
          template: stored as unknown as Prisma.InputJsonObject,
          category: tpl.category,
          businessInitiated: decision.businessInitiated,
          isOptOutConfirmation: input.isOptOutConfirmation ?? false,
        },
      };
    }
  }

  let message: Message & { media?: MediaAsset[] };
  try {
    message = await db.$transaction(async (tx) => {
      const created = await tx.message.create({ data });
      const mediaAssetId =
        (data.payload as { media?: { mediaAssetId?: string } } | undefined)?.media?.mediaAssetId ??
        templateHeaderAssetId(data.payload);
      if (mediaAssetId) {
        // The attachment belongs to one message: a second message cannot take it (unused, same channel).
        const claimed = await tx.mediaAsset.updateMany({
          where: { id: mediaAssetId, messageId: null, channelId: conversation.channelId },
          data: { messageId: created.id },
        });
        if (claimed.count !== 1)
          throw new AppError("conflict", "The attachment was already sent with another message.");
      }
      await tx.conversation.update({
        where: { id: conversation.id },
        data: {
          lastMessageAt: now,
          ...(!conversation.firstResponseAt && input.senderId && !created.isPrivate ? { firstResponseAt: now } : {}),
        },
      });
      if (created.status === "queued") {
        await enqueueInTransaction(tx, [
          { name: "message.send", payload: { messageId: created.id }, jobId: sendJobIdFor(created.id) },
        ]);
      }
      return mediaAssetId
        ? { ...created, media: await tx.mediaAsset.findMany({ where: { messageId: created.id } }) }
        : created;
    });
  } catch (error) {
    // A concurrent request with the same clientId won the race: answer with its message.
    if (isUniqueViolation(error) || (isAppError(error) && error.code === "conflict")) {
      const winner = await findByClientId(db, input.conversationId, body.clientId);
      if (winner) return { message: toMessageDto(winner), isNew: false };
    }
    throw error;
  }
  if (message.status === "queued") deps.onOutboxWritten?.();
  await publishMessageEvent(db, deps.live, message.id, "message.created");
  return { message: toMessageDto(message), isNew: true };
}

/** An uploaded, unused attachment of the conversation's channel whose content fits the requested message type. */
async function findSendableAsset(db: Db, mediaId: string, channelId: string, type: AttachmentType) {
  const asset = isUuid(mediaId) ? await db.mediaAsset.findUnique({ where: { id: mediaId } }) : null;
  if (!asset || asset.channelId !== channelId || asset.status !== "stored" || !asset.storageKey) {
    throw new AppError("validation_failed", "The attachment was not found; upload it again.");
  }
  if (asset.messageId) throw new AppError("conflict", "The attachment was already sent with another message.");
  const allowed = [
    ...OUTBOUND_MEDIA_LIMITS[type].mimeTypes,
    ...(type === "document" ? OUTBOUND_MEDIA_LIMITS.image.mimeTypes : []),
  ];
  if (!allowed.includes(asset.mimeType)) {
    throw new AppError("unsupported_media_type", `A ${asset.mimeType} file cannot be sent as ${type}.`);
  }
  return asset;
}

async function findByClientId(db: Db, conversationId: string, clientId: string) {
  return db.message.findUnique({
    where: { conversationId_clientId: { conversationId, clientId } },
    include: { media: true },
  });
}
