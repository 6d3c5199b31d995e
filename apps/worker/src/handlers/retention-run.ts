import { runRetention } from "@inbox/core";
import type { JobHandler } from "../context";

/** `retention.run` (scheduled by RETENTION_CRON, once across workers): the deletion schedules. */
export const handleRetentionRun: JobHandler<"retention.run"> = async (payload, ctx) => {
  const { deps } = ctx;
  const report = await runRetention(
    { db: deps.db, media: deps.media, log: ctx.log, clock: deps.clock },
    { dryRun: payload.dryRun },
  );
  if (!report.skipped && !report.isDryRun) {
    // Rows and files per category (inbox_retention_deleted_total) and when the schedules last finished.
    for (const line of report.lines) {
      const removed = line.deleted + (line.conversations ?? 0) + (line.mediaFiles ?? 0);
      if (removed > 0) deps.metrics.retentionDeleted.inc({ category: line.category }, removed);
    }
    deps.metrics.retentionLastRun.set(deps.clock().getTime() / 1000);
  }
  ctx.log.info(
    { runId: report.runId, skipped: report.skipped, lines: report.lines.map((l) => [l.category, l.deleted, l.held]) },
    "retention run done",
  );
};
