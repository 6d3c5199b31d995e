import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from "fastify";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Env } from "@inbox/config";
import type {
  DeliveryBatcher,
  LiveChangeBatcher,
  MediaStore,
  SecretBox,
  SessionPolicy,
  VisitorTokenSigner,
} from "@inbox/core";
import type { Db, PgPool, RunSql } from "@inbox/db";
import type { JobQueues } from "@inbox/jobs";
import type { Metrics } from "@inbox/metrics";
import type { Logger } from "@inbox/logger";
import type { GraphClient } from "@inbox/whatsapp";
import type { Redis } from "ioredis";
import type { LiveHub } from "./live/hub";
import type { VisitorHub } from "./live/visitor-hub";

/** The Fastify instance of the api, typed for zod schemas. Plugins and routes take it from here, not from app.ts. */
export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** The outside world the api runs in: built by the launcher (`pnpm start`, `inbox serve api`) or by a test. */
export interface ApiInfra {
  env: Env;
  db: Db;
  /** Plain pg pool on the same database as `db`: the receiver's fast path and the live events' reads. */
  pgPool: PgPool;
  /** Command connection (readiness, rate limits, publishing, presence). */
  redis: Redis;
  queues: JobQueues;
  log: Logger;
  clock: () => Date;
  /** Directory with the built console (index.html); null when this api serves no console. */
  consoleDir: string | null;
}

/** What the api's composition root (services.ts) builds once per process and every route shares. */
export interface ApiServices {
  /** One raw statement on `pgPool` (hot paths such as every request's session lookup). */
  sql: RunSql;
  /** Drains the outbox now: called after each commit that wrote jobs, so they reach Redis without waiting. */
  onOutboxWritten: () => void;
  /** Committed changes → live events for the consoles (batched, after the commit). */
  live: LiveChangeBatcher;
  /** The consoles' websockets: fan-out of live events, presence, typing. */
  liveHub: LiveHub;
  media: MediaStore;
  /** Graph API client for what admins read from Meta (each number's local-storage setting). */
  graph: GraphClient;
  /** Encrypts and decrypts secrets stored in the database (TOTP secrets) with ENCRYPTION_KEY. */
  secrets: SecretBox;
  /** How long sessions live: idle and absolute lifetime (SESSION_IDLE_TIMEOUT, SESSION_MAX_AGE). */
  sessionPolicy: SessionPolicy;
  /** This process's Prometheus series (served at /metrics when METRICS_TOKEN is set). */
  metrics: Metrics;
  /** The webhook receiver's group commit (channel directory, keyword cache, fast path on `pgPool`). */
  deliveries: DeliveryBatcher;
  /** Signs and checks the web chat visitors' session tokens. */
  visitorTokens: VisitorTokenSigner;
  /** The web chat visitors' websockets: their own conversations' messages, typing and read state. */
  visitorHub: VisitorHub;
  /** Stops the relay, flushes live events, ends the live subscription (after the server stopped taking requests). */
  close(): Promise<void>;
}

/** Everything a route or plugin may use. */
export type ApiDeps = ApiInfra & ApiServices;
