import type { Readable } from "node:stream";
import type { DbTx } from "@inbox/db";
import { AppError } from "../errors/app-error";
import { assertConversationAccess, type AccessUser } from "../conversations/can-access-conversation";
import { isUuid } from "../shared/ids";
import type { MediaStore } from "./media-store";

/** A stored media file for the console, after checking the user may see its conversation. */
export async function openMediaAsset(
  db: DbTx,
  store: MediaStore,
  user: AccessUser,
  mediaId: string,
): Promise<{ stream: Readable; mimeType: string; filename: string | null; sizeBytes: number | null }> {
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
    mimeType: asset.mimeType,
    filename: asset.filename,
    sizeBytes: asset.sizeBytes,
  };
}
