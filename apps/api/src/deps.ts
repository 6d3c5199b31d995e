import type { Env } from "@inbox/config";
import type { Db, PgPool } from "@inbox/db";
import type { JobQueues } from "@inbox/jobs";
import type { Logger } from "@inbox/logger";
import type { Redis } from "ioredis";

/** What the api needs from the outside world; built by the launcher, or by tests with their own database. */
export interface ApiDeps {
  env: Env;
  db: Db;
  /**
   * Plain pg pool on the same database as `db`, for the webhook receiver's fast path (status reports and
   * phone-identified customers' messages as raw SQL). Without it every delivery takes the full (Prisma) path: same
   * results, lower throughput.
   */
  pgPool?: PgPool | undefined;
  /** Command connection (readiness, rate limits, publishing). */
  redis: Redis;
  queues: JobQueues;
  log: Logger;
  /** Called after a commit that wrote outbox rows, so they reach Redis without waiting for the next poll. */
  onOutboxWritten?: () => void;
  /** Directory with the built console (index.html); not served when absent. */
  consoleDir?: string | undefined;
  clock?: () => Date;
}
