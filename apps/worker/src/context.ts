import type { Env } from "@inbox/config";
import type { ConcurrencyLimit } from "./concurrency-limit";
import type {
  ConversationRouter,
  RoutingDeps,
  LiveChangeBatcher,
  MediaStore,
  MessageSender,
  SecretBox,
  SendQueuedMessageDeps,
  SendStatements,
  Throttle,
} from "@inbox/core";
import type { Db, PgPool } from "@inbox/db";
import type { JobName, JobPayload, JobQueues, OutboxRelay } from "@inbox/jobs";
import type { Logger } from "@inbox/logger";
import type { Metrics } from "@inbox/metrics";
import type { GraphClient } from "@inbox/whatsapp";
import type { Redis } from "ioredis";

/** The outside world a worker process runs in: built by the launcher (`pnpm start`, `inbox serve worker`) or a test. */
export interface WorkerInfra {
  env: Env;
  db: Db;
  /**
   * Plain pg pool on the same database: the send path's claim/record statements, the outbox, live reads, routing's
   * reads and writes and the queue runs' assignment transactions.
   */
  pgPool: PgPool;
  redis: Redis;
  queues: JobQueues;
  log: Logger;
  clock: () => Date;
}

/** What the worker's composition root (services.ts) builds once per process and every handler shares. */
export interface WorkerServices {
  /** Graph API client (GRAPH_API_URL + WHATSAPP_ACCESS_TOKEN): media downloads and uploads, template sync. */
  graph: GraphClient;
  /** Who sends messages: the Graph client, or one routed per number (benchmarks). */
  sender: MessageSender;
  /** Meta's rate limits, shared by every worker process through Redis. */
  throttle: Throttle;
  /** This process's own count of send times per number (see createDispatchGate). */
  dispatchGate: SendQueuedMessageDeps["dispatchGate"];
  /** Claim and record statements, group-committed across this process's concurrent sends. */
  statements: SendStatements;
  media: MediaStore;
  /**
   * Media downloads at once in this process (each holds a whole file in memory), however many jobs the inbound
   * queue runs: route jobs mostly wait for their team's assignment and need a higher concurrency than downloads.
   */
  mediaDownloads: ConcurrencyLimit;
  /** Decrypts secrets stored in the database (the suppression key of erased numbers) with ENCRYPTION_KEY. */
  secrets: SecretBox;
  /** Committed changes → live events for the consoles (batched). */
  live: LiveChangeBatcher;
  /** Moves outbox rows to BullMQ; started by startWorker. */
  outbox: OutboxRelay;
  /** Drains the outbox now: called after a commit that wrote jobs. */
  onOutboxWritten: () => void;
  /** This process's Prometheus series (served on WORKER_METRICS_PORT when METRICS_TOKEN is set). */
  metrics: Metrics;
  /** Auto-assignment: the database, the consoles' presence in Redis, the clock, the process's queue assigner. */
  routing: RoutingDeps;
  /** Routes new conversations; route jobs running at the same time are routed together. */
  routeConversations: ConversationRouter;
  /** How long a send with an unknown outcome waits for a status webhook. */
  reconcileGraceMs: number;
  /** Stops the outbox relay and publishes what the live batcher still holds. */
  close(): Promise<void>;
}

export type WorkerDeps = WorkerInfra & WorkerServices;

export interface JobContext {
  deps: WorkerDeps;
  log: Logger;
  attemptsMade: number;
  /** Attempts configured for the job: lets a handler tell its last try. */
  maxAttempts: number;
  /** Times the job was started, deferrals included (BullMQ's attemptsStarted, this run counted). */
  startedCount: number;
  /**
   * Moves the job back to BullMQ's delayed set until `at` (ms since the epoch) without using an attempt, and
   * throws BullMQ's DelayedError so the worker leaves the job there: the handler returns nothing after it.
   */
  defer(at: number): Promise<never>;
}

export type JobHandler<N extends JobName> = (payload: JobPayload<N>, ctx: JobContext) => Promise<void>;
/** One handler per job name: a job without a handler cannot be declared. */
export type JobHandlers = { [N in JobName]: JobHandler<N> };
