/** The simulator's options and state, shared by its façade (simulator.ts) and the modules it delegates to. */
import type { MessageTemplate, StorageConfiguration } from "@inbox/whatsapp";
import type { Logger } from "@inbox/logger";
import type { GraphError } from "./errors";
import type { SlidingSecond } from "./sliding-second";
import type { WebhookSender } from "./webhook-sender";

export interface SimulatorOptions {
  accessToken: string;
  appSecret: string;
  /** where webhooks go: the product's /webhooks/whatsapp */
  webhookUrl: string;
  phoneNumberId: string;
  wabaId: string;
  /** e.g. "+49 30 1234567" */
  displayNumber: string;
  /** Graph version whose webhook shapes to emit; from v24.0 statuses carry no `conversation` */
  graphVersion?: string;
  /** per-number throughput (messages per second), Meta's default 80 */
  throughputPerSec?: number;
  /** delay between sent → delivered → read */
  statusStepMs?: number;
  /** share of reads reported without a prior `delivered` (Meta skips it when both happen together) */
  readWithoutDeliveredRate?: number;
  /** customers read the business's messages on their own */
  isAutoRead?: boolean;
  /** marketing templates per user per 24 h before 131049 (Meta's real rule is not public) */
  marketingPerUserPerDay?: number;
  webhookMaxAttempts?: number;
  webhookRetryBaseMs?: number;
  webhookTimeoutMs?: number;
  log: Logger;
  random?: () => number;
  now?: () => number;
}

/** The options with every default filled in. */
export type ResolvedSimulatorOptions = Required<Omit<SimulatorOptions, "random" | "now">>;

export interface Customer {
  id: string;
  /** digits without +; "" for username users Meta identifies only by BSUID */
  waId: string;
  userId: string | undefined;
  name: string;
  username: string | undefined;
  /** ms; undefined when the simulator never delivered a message from them (treated as inside the window) */
  lastInboundAt: number | undefined;
  isMarketingOptedOut: boolean;
  marketingSent: number[];
  pairTokens: number;
  pairUpdatedAt: number;
}

export interface ChatEntry {
  direction: "inbound" | "outbound";
  wamid: string;
  type: string;
  text: string;
  status: "sent" | "delivered" | "read" | "failed" | "accepted";
  errorCode?: number;
  buttons?: { id: string; title: string; kind: "reply" | "template" }[];
  at: number;
}

/**
 * A failure forced through the control API: for the next `remaining` requests, or — with `until` (epoch ms) — for
 * every request until then (an outage of a period). A timeout that is `accepted` lets the message through (it is
 * sent, webhooks follow) and withholds only the answer, like a Graph call whose response is lost on the way back.
 */
export type ForcedFailure = (
  | { kind: "error"; code: number; mode: "sync" | "async" }
  | { kind: "http"; status: number }
  | { kind: "timeout"; accepted?: boolean }
  | { kind: "slow"; delayMs: number }
) & { remaining: number; until?: number };

export interface WebhookBehaviour {
  /** chance that a status webhook is delivered twice */
  duplicateRate: number;
  /** chance that a status webhook is delayed so later ones overtake it */
  reorderRate: number;
}

export interface OutboundRecord {
  customerId: string;
  status: ChatEntry["status"];
  callbackData?: string;
}

export interface StoredMedia {
  bytes: Buffer;
  mimeType: string;
  sha256: string;
  createdAt: number;
}

/** What the simulator's modules (customers, inbound, outbound, media and registration) read and change. */
export interface SimulatorState {
  readonly options: ResolvedSimulatorOptions;
  readonly sender: WebhookSender;
  readonly customers: Map<string, Customer>;
  readonly chats: Map<string, ChatEntry[]>;
  readonly outbound: Map<string, OutboundRecord>;
  readonly media: Map<string, StoredMedia>;
  readonly mediaUrlTokens: Map<string, { mediaId: string; expiresAt: number }>;
  readonly webhookBehaviour: WebhookBehaviour;
  /** Arrival times of accepted sends within the last second (Meta's throughput check). */
  readonly sendWindow: SlidingSecond;
  templates: MessageTemplate[];
  isRegistered: boolean;
  storage: StorageConfiguration;
  registerAttempts: number[];
  throughputPerSec: number;
  /** The simulator's clock (ms), moved by advanceClock. */
  now(): number;
  /** The simulator's clock offset (ms) against the real clock. */
  readonly clockOffsetMs: number;
  random(): number;
  newWamid(): string;
  /** Runs fn after ms; idle() waits for it. */
  schedule(ms: number, fn: () => void): void;
  error(code: number, details?: string): GraphError;
  takeForced(kind: "error" | "transport"): ForcedFailure | undefined;
}
