import { parseArgs } from "node:util";
import { reprocessQuarantinedDeliveries } from "@inbox/core";
import { createLogger } from "@inbox/logger";
import { connectDb, loadEnv, migrateDatabase, StartupError } from "../runtime";

export const WEBHOOKS_REPROCESS_USAGE = "pnpm inbox webhooks reprocess [--since 2026-12-01T00:00:00Z]";

/**
 * Applies quarantined webhook parts again — after an upgrade that understands them, or after adding the channel
 * they were for — and prints what happened. Jobs they cause (routing, media downloads) wait in the outbox until a
 * worker or api process hands them to the queue.
 */
export async function webhooksReprocessCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { since: { type: "string" } }, strict: true });
  const since = values.since === undefined ? undefined : new Date(values.since);
  if (since && Number.isNaN(since.getTime())) {
    throw new StartupError(`--since must be an ISO date or time, e.g. 2026-12-01 (got "${values.since}").`);
  }
  const env = loadEnv();
  await migrateDatabase(env);
  const db = await connectDb(env);
  const log = createLogger({ name: "webhooks-reprocess", level: env.LOG_LEVEL, pretty: false });
  try {
    const r = await reprocessQuarantinedDeliveries({ db, log }, { since });
    console.log(
      `Reprocessed ${r.reprocessed} quarantined part(s)${since ? ` received since ${since.toISOString()}` : ""}: ` +
        `${r.applied} applied, ${r.stillQuarantined} still quarantined, ${r.failed} failed.`,
    );
    if (r.failed > 0) process.exitCode = 1;
  } finally {
    await db.$disconnect();
  }
}
