import { buildLiveEvents, downloadMediaAsset } from "@inbox/core";
import { graphFor } from "../outbound/graph";
import type { JobHandler } from "../registry";
import { livePublisherFor, mediaStoreFor } from "./inbound-deps";

/** `media.download`: inbound media from the Graph API into the media store; consoles see the message update. */
export const handleMediaDownload: JobHandler<"media.download"> = async ({ mediaAssetId }, ctx) => {
  const { deps } = ctx;
  const result = await downloadMediaAsset(
    { db: deps.db, store: mediaStoreFor(deps), source: graphFor(deps), log: ctx.log },
    { mediaAssetId, isLastAttempt: ctx.attemptsMade + 1 >= ctx.maxAttempts },
  );
  ctx.log.debug({ mediaAssetId, outcome: result.outcome }, "media.download handled");
  if (result.outcome !== "skipped" && result.messageId) {
    await livePublisherFor(deps).publish(await buildLiveEvents(deps.db, { updatedMessageIds: [result.messageId] }));
  }
};
