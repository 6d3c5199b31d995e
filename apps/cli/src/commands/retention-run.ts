import { parseArgs } from "node:util";
import { createMediaStore, runRetention, type RetentionReport } from "@inbox/core";
import type { Env } from "@inbox/config";
import { createLogger } from "@inbox/logger";
import { connectDb, loadEnv, migrateDatabase, StartupError } from "../runtime";

export const RETENTION_RUN_USAGE = "pnpm inbox retention run [--dry-run]";

/** One line per category and policy: what was (dry run: would be) deleted, and what legal holds kept. */
function formatRetentionReport(report: RetentionReport): string {
  if (report.skipped) return "Another retention run is in progress; nothing done.";
  const head = report.isDryRun ? "Dry run: nothing deleted. Would delete:" : "Deleted:";
  const rows = report.lines.map((l) => {
    const scope = [l.channelId ? `channel ${l.channelId}` : null, l.labelId ? `label ${l.labelId}` : null]
      .filter(Boolean)
      .join(", ");
    const policy = `${l.policyId ? `policy ${l.policyId}` : "default"}${scope ? ` (${scope})` : ""}, ${l.days} days`;
    const extra = [
      l.conversations !== undefined ? `${l.conversations} conversations` : null,
      l.mediaFiles !== undefined ? `${l.mediaFiles} media files` : null,
      `${l.held} kept by legal hold`,
    ]
      .filter(Boolean)
      .join(", ");
    return `  ${l.category.padEnd(17)} ${String(l.deleted).padStart(9)}  ${policy}; ${extra}`;
  });
  const pacing = report.isDryRun
    ? []
    : [
        `  in ${report.batches} batches, ${(report.pausedMs / 1000).toFixed(1)} s of pauses between them for live traffic`,
      ];
  return [head, ...rows, ...pacing].join("\n");
}

function parseDryRun(argv: string[]): boolean {
  try {
    const { values } = parseArgs({ args: argv, options: { "dry-run": { type: "boolean" } }, strict: true });
    return values["dry-run"] ?? false;
  } catch {
    throw new StartupError(`Usage: ${RETENTION_RUN_USAGE}`);
  }
}

export async function retentionRunCommand(
  argv: string[],
  io: { env?: Env; print?: (text: string) => void } = {},
): Promise<void> {
  const dryRun = parseDryRun(argv);
  const env = io.env ?? loadEnv();
  await migrateDatabase(env);
  const db = await connectDb(env);
  try {
    const log = createLogger({ name: "retention", level: env.LOG_LEVEL === "info" ? "warn" : env.LOG_LEVEL });
    const report = await runRetention({ db, media: createMediaStore(env), log }, { dryRun });
    (io.print ?? console.log)(formatRetentionReport(report));
  } finally {
    await db.$disconnect();
  }
}
