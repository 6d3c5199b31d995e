import type { Db, Message, Prisma } from "@inbox/db";
import type { Logger } from "@inbox/logger";
import { describeCloudApiError, isGraphApiError, OUTBOUND_MEDIA_TYPES } from "@inbox/whatsapp";
import { sha256Hex, type MediaStore } from "../media/media-store";
import { markFailed, unclaim } from "./message-send-state";
import { RetryableSendError } from "./send-errors";

/** What the upload needs of the Graph API client (GraphClient from @inbox/whatsapp satisfies it). */
interface MediaUploader {
  uploadMedia(
    phoneNumberId: string,
    file: { bytes: Buffer; mimeType: string; filename?: string },
  ): Promise<{ id: string }>;
}

export interface UploadOutboundMediaDeps {
  db: Db;
  store: MediaStore;
  uploader: MediaUploader;
  log: Logger;
}

interface MediaPayload {
  media?: { mediaAssetId?: string; id?: string; caption?: string; filename?: string };
}

export type UploadOutboundMediaResult =
  { outcome: "ready"; payload: Prisma.JsonObject } | { outcome: "failed"; code: string };

const isMediaType = (type: string) => (OUTBOUND_MEDIA_TYPES as readonly string[]).includes(type);

async function readAll(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/**
 * Before a claimed media message is sent: makes sure its MediaAsset is on Meta's side. An asset without a
 * providerMediaId is read from the media store (its sha256 checked), uploaded with `POST /{phone-number-id}/media`
 * and the returned id stored on the asset; the message payload then carries `media.id` for the send body.
 * Messages that are not media, or whose asset was uploaded before (a retried send), pass through unchanged.
 *
 * Retryable Graph errors put the message back to `queued` and throw RetryableSendError (an upload never reached
 * the customer, so re-uploading is safe); permanent ones (131053 wrong type, 100 …) or a missing/corrupt file fail
 * the message with a reason in German and English.
 */
export async function uploadOutboundMedia(
  deps: UploadOutboundMediaDeps,
  message: Message,
  input: { phoneNumberId: string; isLastAttempt: boolean; now: Date },
): Promise<UploadOutboundMediaResult> {
  const payload = (message.payload ?? {}) as Prisma.JsonObject & MediaPayload;
  const media = payload.media;
  // A media message's attachment, or a template's uploaded header image/video/document.
  const takesMedia = isMediaType(message.type) || message.type === "template";
  if (!takesMedia || !media?.mediaAssetId || media.id) return { outcome: "ready", payload };
  const asset = await deps.db.mediaAsset.findUnique({ where: { id: media.mediaAssetId } });
  const withId = (id: string): Prisma.JsonObject => ({ ...payload, media: { ...media, id } });
  if (asset?.providerMediaId) return { outcome: "ready", payload: withId(asset.providerMediaId) };

  let bytes: Buffer | null = null;
  if (asset?.storageKey && asset.status === "stored") {
    bytes = await deps.store
      .get(asset.storageKey)
      .then(readAll)
      .catch(() => null);
  }
  if (!asset || !bytes || (asset.sha256 && sha256Hex(bytes) !== asset.sha256)) {
    const reason = {
      de: "Die Datei des Anhangs fehlt oder ist beschädigt.",
      en: "The attachment's file is missing or corrupt.",
    };
    await markFailed(deps.db, message, { code: null, title: "media_missing", reason }, input.now);
    return { outcome: "failed", code: "media_missing" };
  }

  try {
    const uploaded = await deps.uploader.uploadMedia(input.phoneNumberId, {
      bytes,
      mimeType: asset.mimeType,
      ...(asset.filename ? { filename: asset.filename } : {}),
    });
    await deps.db.mediaAsset.update({ where: { id: asset.id }, data: { providerMediaId: uploaded.id, error: null } });
    deps.log.debug({ messageId: message.id, mediaAssetId: asset.id }, "media uploaded to Meta");
    return { outcome: "ready", payload: withId(uploaded.id) };
  } catch (error) {
    // Nothing reached the customer: back to `queued` is always safe.
    if (!isGraphApiError(error)) {
      await unclaim(deps.db, message.id, input.now);
      throw error;
    }
    const retryable = error.isRetryable || error.httpStatus === undefined;
    if (retryable && !input.isLastAttempt) {
      await unclaim(deps.db, message.id, input.now);
      throw new RetryableSendError("graph", `media upload: ${error.message}`, undefined, error.code);
    }
    await deps.db.mediaAsset.update({ where: { id: asset.id }, data: { error: error.message.slice(0, 300) } });
    const reason = {
      de: `Der Anhang konnte nicht zu WhatsApp hochgeladen werden: ${describeCloudApiError(error.code, "de")}`,
      en: `The attachment could not be uploaded to WhatsApp: ${describeCloudApiError(error.code, "en")}`,
    };
    await markFailed(deps.db, message, { code: error.code ?? null, title: "media_upload_failed", reason }, input.now);
    return { outcome: "failed", code: "media_upload_failed" };
  }
}
