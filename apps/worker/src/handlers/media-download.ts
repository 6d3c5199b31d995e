import { downloadMediaAsset } from "@inbox/core";
import type { JobHandler } from "../context";

/** `media.download`: inbound media from the Graph API into the media store; consoles see the message update. */
export const handleMediaDownload: JobHandler<"media.download"> = async ({ mediaAssetId }, ctx) => {
  const { deps } = ctx;
  const result = await deps.mediaDownloads(() =>
    downloadMediaAsset(
      { db: deps.db, store: deps.media, source: deps.graph, log: ctx.log },
      { mediaAssetId, isLastAttempt: ctx.attemptsMade + 1 >= ctx.maxAttempts },
    ),
  );
  ctx.log.debug({ mediaAssetId, outcome: result.outcome }, "media.download handled");
  if (result.outcome !== "skipped" && result.messageId) deps.live.add({ updatedMessageIds: [result.messageId] });
};
