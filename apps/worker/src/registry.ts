import type { Env } from "@inbox/config";
import type { Db, PgPool } from "@inbox/db";
import type { JobName, JobPayload } from "@inbox/jobs";
import type { Logger } from "@inbox/logger";
import type { Redis } from "ioredis";
import type { JobQueues } from "@inbox/jobs";
import type { GraphClient } from "@inbox/whatsapp";
import type { MessageSender, Throttle } from "@inbox/core";
import { handleMessageSend } from "./handlers/message-send";
import { handleTemplateSync } from "./handlers/template-sync";
import { handleMediaDownload } from "./handlers/media-download";
import { handleConsentConfirm } from "./handlers/consent-confirm";
import { handleConversationRoute } from "./handlers/conversation-route";
import { handleConversationWake } from "./handlers/conversation-wake";
import { handleRetentionRun } from "./handlers/retention-run";

export interface WorkerDeps {
  env: Env;
  db: Db;
  /**
   * Plain pg pool on the same database for the send path's per-message statements (claim, record): a fraction of
   * Prisma's CPU per row. Prisma runs them when absent.
   */
  pgPool?: PgPool | undefined;
  redis: Redis;
  queues: JobQueues;
  log: Logger;
  clock?: () => Date;
  /** Graph API client; built from GRAPH_API_URL + WHATSAPP_ACCESS_TOKEN when absent. */
  graph?: GraphClient;
  /** Overrides `graph` for message.send only (e.g. routing several numbers to several simulators in benchmarks). */
  sender?: MessageSender;
  /** Send rate limiter; a Redis token bucket per number and recipient when absent. */
  throttle?: Throttle;
  /** How long a send with unknown outcome waits for a status webhook (default 2 min). */
  reconcileGraceMs?: number;
}

export interface JobContext {
  deps: WorkerDeps;
  log: Logger;
  attemptsMade: number;
  /** Attempts configured for the job: lets a handler tell its last try. */
  maxAttempts: number;
}

export type JobHandler<N extends JobName> = (payload: JobPayload<N>, ctx: JobContext) => Promise<void>;
export type JobHandlers = { [N in JobName]?: JobHandler<N> };

/**
 * name → handler. A job whose name has no handler here is logged and dropped (not retried forever).
 * Capabilities add their handlers as they land.
 */
export const JOB_HANDLERS: JobHandlers = {
  "message.send": handleMessageSend,
  "template.sync": handleTemplateSync,
  "media.download": handleMediaDownload,
  "consent.confirm": handleConsentConfirm,
  "conversation.route": handleConversationRoute,
  "conversation.wake": handleConversationWake,
  "retention.run": handleRetentionRun,
};
