import type { Readable } from "node:stream";
import type { DbTx } from "@inbox/db";
import { AppError } from "../../errors/app-error";
import type { MediaStore } from "../../media/media-store";
import { mediaResponseType } from "../../media/open-media-asset";
import { isUuid } from "../../shared/ids";

/**
 * A media file of the visitor's own thread (theirs or an agent's reply), for the widget: only a stored file of a
 * message in a conversation of the contact behind the visitor token (this channel, not erased), never a private
 * note's or a redacted message's. Anything else is the same 404, so ids cannot be probed.
 */
export async function openVisitorMedia(
  db: DbTx,
  store: MediaStore,
  input: { channelId: string; visitorId: string; mediaId: string },
): Promise<{
  stream: Readable;
  contentType: string;
  isInline: boolean;
  filename: string | null;
  sizeBytes: number | null;
}> {
  const notFound = () => new AppError("not_found", "Media not found.");
  if (!isUuid(input.mediaId)) throw notFound();
  const asset = await db.mediaAsset.findFirst({
    where: {
      id: input.mediaId,
      status: "stored",
      storageKey: { not: null },
      message: {
        isPrivate: false,
        redactedAt: null,
        conversation: {
          channelId: input.channelId,
          contact: { channelId: input.channelId, externalId: input.visitorId, erasedAt: null },
        },
      },
    },
  });
  if (!asset?.storageKey) throw notFound();
  return {
    stream: await store.get(asset.storageKey),
    ...mediaResponseType(asset.mimeType),
    filename: asset.filename,
    sizeBytes: asset.sizeBytes,
  };
}
