import { randomUUID } from "node:crypto";
import type { Db, DbTx } from "@inbox/db";
import { findCurrentConsents } from "../../consent/current-consents";
import { AppError } from "../../errors/app-error";
import { classifyForCapabilities } from "../../media/classify-attachment";
import { newMediaKey, type MediaStore } from "../../media/media-store";
import { cleanFilename } from "../../media/store-outbound-attachment";
import { webchatChannel } from "../webchat-channel";
import type { ReceivedWebchatMessage } from "./receive-webchat-message";
import { storeVisitorMessage, toWebchatMessageDto } from "./visitor-messages";

export interface ReceiveWebchatAttachmentInput {
  channel: { id: string; defaultTeamId: string | null };
  visitorId: string;
  clientMessageId: string;
  /** Reads the upload; called only after the consent check, so nobody without consent gets a file read. */
  readFile: () => Promise<{ bytes: Buffer; filename?: string | undefined }>;
  now: Date;
}

/** The visitor's contact, locked (FOR UPDATE) inside a transaction, if they consented to the service purpose. */
async function consentedContact(tx: DbTx, channelId: string, visitorId: string, lock: boolean) {
  const contacts = lock
    ? await tx.$queryRaw<{ id: string; erasedAt: Date | null }[]>`
        SELECT id, "erasedAt" FROM "Contact"
         WHERE "channelId" = ${channelId}::uuid AND "externalId" = ${visitorId}
         FOR UPDATE`
    : await tx.contact.findMany({
        where: { channelId, externalId: visitorId },
        select: { id: true, erasedAt: true },
      });
  const contact = contacts[0];
  const consents = contact && !contact.erasedAt ? await findCurrentConsents(tx, contact.id) : [];
  if (!contact || !consents.some((c) => c.purpose === "service" && c.status === "granted")) {
    throw new AppError("consent_required", "Please accept the privacy notice before writing.");
  }
  return contact;
}

/**
 * A visitor's attachment: consent checked FIRST, then the upload is read, its type decided from its bytes and
 * checked against the web chat channel's media capabilities (type and size per kind), the file stored, and the
 * message written by the one inbound write path (`storeMessages` → `inbox_store_messages`, as a text message) with
 * its MediaAsset (status `stored`, linked to the message) in the same transaction — so retention, export and erasure
 * treat it like every other media file. Once per clientMessageId: a retried upload returns the stored message.
 */
export async function receiveWebchatAttachment(
  deps: { db: Db; store: MediaStore },
  input: ReceiveWebchatAttachmentInput,
): Promise<ReceivedWebchatMessage> {
  const { db } = deps;
  await consentedContact(db, input.channel.id, input.visitorId, false);
  const externalId = `webchat.${input.clientMessageId}`;
  const before = await db.message.findUnique({
    where: { channelId_externalId: { channelId: input.channel.id, externalId } },
    include: { media: true },
  });
  if (before) return unchanged(before);

  const file = await input.readFile();
  const filename = cleanFilename(file.filename);
  const { mimeType } = classifyForCapabilities({
    bytes: file.bytes,
    filename: filename ?? undefined,
    media: webchatChannel.capabilities.media,
  });
  const mediaAssetId = randomUUID();
  const [normalized] = webchatChannel.normalizeInbound({
    visitorId: input.visitorId,
    clientMessageId: input.clientMessageId,
    mediaAssetId,
    mimeType,
    ...(filename ? { filename } : {}),
    sentAt: input.now,
  });
  const stored = await deps.store.put(newMediaKey(input.now), file.bytes);
  try {
    return await db.$transaction(async (tx) => {
      const contact = await consentedContact(tx, input.channel.id, input.visitorId, true);
      const existing = await tx.message.findUnique({
        where: { channelId_externalId: { channelId: input.channel.id, externalId } },
        include: { media: true },
      });
      if (existing) {
        await deps.store.delete(stored.key);
        return unchanged(existing);
      }
      // A document shows its name in the conversation list and the thread, as WhatsApp's do.
      const created = await storeVisitorMessage(tx, input.channel, contact.id, {
        externalId,
        at: input.now,
        type: normalized!.type,
        text: normalized!.type === "document" ? filename : null,
        payload: { media: { mediaAssetId, mimeType, filename } },
      });
      const { row: message, conversation } = created;
      const asset = await tx.mediaAsset.create({
        data: {
          id: mediaAssetId,
          channelId: input.channel.id,
          messageId: message.id,
          mimeType,
          filename,
          sizeBytes: stored.sizeBytes,
          sha256: stored.sha256,
          storageKey: stored.key,
          status: "stored",
        },
      });
      await tx.contact.update({ where: { id: contact.id }, data: { lastSeenAt: input.now } });
      return {
        message: toWebchatMessageDto({ ...message, media: [asset] }),
        messageId: message.id,
        conversationId: conversation.id,
        isNew: true,
        wroteOutbox: conversation.isNew,
      };
    });
  } catch (error) {
    await deps.store.delete(stored.key).catch(() => undefined);
    throw error;
  }
}

function unchanged(
  message: Parameters<typeof toWebchatMessageDto>[0] & { conversationId: string },
): ReceivedWebchatMessage {
  return {
    message: toWebchatMessageDto(message),
    messageId: message.id,
    conversationId: message.conversationId,
    isNew: false,
    wroteOutbox: false,
  };
}
