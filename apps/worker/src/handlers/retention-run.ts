import { runRetention } from "@inbox/core";
import type { JobHandler } from "../context";

/** `retention.run` (scheduled by RETENTION_CRON, once across workers): the deletion schedules. */
export const handleRetentionRun: JobHandler<"retention.run"> = async (payload, ctx) => {
  const report = await runRetention(
    {
      db: ctx.deps.db,
      media: ctx.deps.media,
      log: ctx.log,
      clock: ctx.deps.clock,
    },
    { dryRun: payload.dryRun },
  );
  ctx.log.info(
    { runId: report.runId, skipped: report.skipped, lines: report.lines.map((l) => [l.category, l.deleted, l.held]) },
    "retention run done",
  );
};
