import type { Readable } from "node:stream";
import type { DbTx } from "@inbox/db";
import { AppError } from "../errors/app-error";
import { assertConversationAccess, type AccessUser } from "../conversations/can-access-conversation";
import { isUuid } from "../shared/ids";
import type { MediaStore } from "./media-store";
import { MEDIA_LIMITS, baseMimeType } from "./check-media";
import { OUTBOUND_MEDIA_LIMITS } from "./classify-attachment";
import { webchatChannel } from "../channels/webchat-channel";

/** Every type the product stores (inbound checks, outbound classification): the only ones ever served as such. */
const SERVABLE_TYPES = new Set<string>(
  [
    ...Object.values(MEDIA_LIMITS),
    ...Object.values(OUTBOUND_MEDIA_LIMITS),
    ...Object.values(webchatChannel.capabilities.media),
  ].flatMap((l) => [...l.mimeTypes]),
);
/** Shown in the console (img, audio, video elements); everything else is downloaded, never rendered by the browser. */
const INLINE_FAMILIES = ["image/", "audio/", "video/"];

/**
 * How a stored media file is served: its type from the fixed allow-list (anything else as application/octet-stream,
 * whatever the database says), and inline only for images, audio and video.
 */
export function mediaResponseType(storedMimeType: string): { contentType: string; isInline: boolean } {
  const base = baseMimeType(storedMimeType);
  const contentType = SERVABLE_TYPES.has(base) ? base : "application/octet-stream";
  return { contentType, isInline: INLINE_FAMILIES.some((family) => contentType.startsWith(family)) };
}

/** A stored media file for the console, after checking the user may see its conversation. */
export async function openMediaAsset(
  db: DbTx,
  store: MediaStore,
  user: AccessUser,
  mediaId: string,
): Promise<{
  stream: Readable;
  /** From the allow-list (mediaResponseType), never the stored string as is. */
  contentType: string;
  isInline: boolean;
  filename: string | null;
  sizeBytes: number | null;
}> {
  if (!isUuid(mediaId)) throw new AppError("not_found", "Media not found.");
  const asset = await db.mediaAsset.findUnique({
    where: { id: mediaId },
    include: { message: { select: { conversationId: true } } },
  });
  if (!asset?.message) throw new AppError("not_found", "Media not found.");
  await assertConversationAccess(db, user, asset.message.conversationId);
  if (asset.status !== "stored" || !asset.storageKey)
    throw new AppError("not_found", "The media file is not stored (yet).");
  return {
    stream: await store.get(asset.storageKey),
    ...mediaResponseType(asset.mimeType),
    filename: asset.filename,
    sizeBytes: asset.sizeBytes,
  };
}
