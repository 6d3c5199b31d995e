import { createHash } from "node:crypto";
import type { Db } from "@inbox/db";
import type { Logger } from "@inbox/logger";
import { checkMedia } from "./check-media";
import { newMediaKey, type MediaStore } from "./media-store";

/** What the download needs from the Graph API (GraphClient from @inbox/whatsapp satisfies it). */
interface MediaSource {
  getMediaUrl(
    mediaId: string,
    phoneNumberId?: string,
  ): Promise<{ url: string; mime_type: string; sha256: string; file_size: number | string }>;
  downloadMedia(url: string): Promise<{ bytes: Buffer; mimeType: string | undefined }>;
}

export interface DownloadMediaAssetDeps {
  db: Db;
  store: MediaStore;
  source: MediaSource;
  log: Logger;
}

export type DownloadOutcome =
  | { outcome: "stored"; messageId: string | null }
  | { outcome: "skipped" }
  | { outcome: "rejected"; messageId: string | null; reason: string };

/** Meta reports sha256 as hex or base64 depending on the endpoint; accept either form of the same digest. */
function matchesChecksum(bytes: Buffer, expected: string | undefined | null): boolean {
  if (!expected) return true;
  const digest = createHash("sha256").update(bytes).digest();
  const e = expected.trim();
  return (
    e.toLowerCase() === digest.toString("hex") || e === digest.toString("base64") || e === digest.toString("base64url")
  );
}

/**
 * Fetches an inbound media file (short-lived URL from the Graph API, bearer auth), checks checksum, size and
 * MIME type, stores it and marks the asset stored. Transport errors and checksum mismatches throw (the job
 * retries with backoff); a file that fails the content checks is marked rejected at once; on the last attempt
 * the asset is marked failed with the reason.
 */
export async function downloadMediaAsset(
  deps: DownloadMediaAssetDeps,
  input: { mediaAssetId: string; isLastAttempt?: boolean },
): Promise<DownloadOutcome> {
  const asset = await deps.db.mediaAsset.findUnique({
    where: { id: input.mediaAssetId },
    include: { message: { select: { type: true, payload: true } }, channel: { select: { externalId: true } } },
  });
  if (!asset || asset.status === "stored") return { outcome: "skipped" };
  const reject = async (reason: string): Promise<DownloadOutcome> => {
    await deps.db.mediaAsset.update({ where: { id: asset.id }, data: { status: "failed", error: reason } });
    deps.log.warn({ mediaAssetId: asset.id, reason }, "media rejected");
    return { outcome: "rejected", messageId: asset.messageId, reason };
  };
  if (!asset.providerMediaId) return reject("no provider media id");
  try {
    const info = await deps.source.getMediaUrl(asset.providerMediaId, asset.channel.externalId);
    const { bytes, mimeType } = await deps.source.downloadMedia(info.url);
    const messageType = asset.message?.type ?? "document";
    const body = (asset.message?.payload as Record<string, { sha256?: string } | undefined> | null)?.[messageType];
    if (!matchesChecksum(bytes, info.sha256) && !matchesChecksum(bytes, body?.sha256)) {
      throw new Error("checksum mismatch");
    }
    const declared = info.mime_type || mimeType || asset.mimeType;
    const check = checkMedia({ messageType, declaredMime: declared, bytes });
    if (!check.ok) return reject(check.reason);
    const stored = await deps.store.put(newMediaKey(), bytes);
    await deps.db.mediaAsset.update({
      where: { id: asset.id },
      data: {
        status: "stored",
        storageKey: stored.key,
        sizeBytes: stored.sizeBytes,
        sha256: stored.sha256,
        // The checked base type, never the declared string (it may carry parameters or a list of types).
        mimeType: check.mimeType,
        error: null,
      },
    });
    return { outcome: "stored", messageId: asset.messageId };
  } catch (error) {
    if (input.isLastAttempt) return reject(error instanceof Error ? error.message.slice(0, 300) : "download failed");
    throw error;
  }
}
