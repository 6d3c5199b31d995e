import type { Db } from "@inbox/db";
import type { Logger } from "@inbox/logger";
import type { SendMessageRequest, SendMessageResponse } from "@inbox/whatsapp";
import type { LiveChanges } from "../shared/live-changes";
import type { SendStatements } from "./send-statements";
import type { UploadOutboundMediaDeps } from "./upload-outbound-media";
import type { Throttle } from "./wait-for-slot";

/** What the use case needs of the Graph API client (GraphClient from @inbox/whatsapp satisfies it). */
export interface MessageSender {
  sendMessage(phoneNumberId: string, body: SendMessageRequest): Promise<SendMessageResponse>;
}

/** Everything sendQueuedMessage works with; the worker builds each once per process (its composition root). */
export interface SendQueuedMessageDeps {
  db: Db;
  graph: MessageSender;
  log: Logger;
  clock: () => Date;
  /** Books the number's send slot and the recipient's pair slot (Meta's rate limits). */
  throttle: Throttle;
  /** How long a message left `sending` without a wamid waits for a status webhook before it is given up. */
  reconcileGraceMs: number;
  /** Live updates to consoles: message.updated after a send was accepted or failed (batched by the worker). */
  live: LiveChanges;
  /** Waits up to this long inline for a send slot; longer waits become a delayed retry. */
  maxInlineWaitMs: number;
  /**
   * A request that would leave more than this long after its booked slot (event-loop stall, slow timer) books a
   * new slot instead: late requests bunch up with the following ones and overrun Meta's sliding second.
   */
  maxSlotLatenessMs: number;
  /**
   * Called right before each Graph request, after the slot: holds the request while this process already sent
   * the number's limit within the last second (+ margin), counted on actual send times. Catches the bunching
   * that event-loop stalls cause among one process's sends.
   */
  dispatchGate: (channelId: string, limitPerSecond: number) => Promise<void>;
  /**
   * Counts what cost a send its slot without failing it (the worker's metrics): `slot_missed` — the process was
   * too late for its slot and booked a new one; `throughput_refused` — Meta answered 130429 and the send booked a
   * new slot in the same attempt.
   */
  countThrottling: (event: SendThrottlingEvent) => void;
  /** Claim and record statements; the worker shares group-committed ones between its concurrent sends. */
  statements: SendStatements;
  /** Media store and uploader: a media message's file goes to Meta (`/media`) right before its send. */
  media: Omit<UploadOutboundMediaDeps, "db" | "log">;
}

type SendThrottlingEvent = "slot_missed" | "throughput_refused";

export interface SendQueuedMessageInput {
  messageId: string;
  /** The job's last try: a retryable failure now fails the message instead of vanishing. */
  isLastAttempt: boolean;
}

export type SendOutcome =
  | { outcome: "sent"; externalId: string }
  | { outcome: "skipped"; reason: "not_found" | "not_outbound" | "already_sent" | "claimed_elsewhere" }
  | { outcome: "failed"; code: string }
  | { outcome: "channel_paused" };

/** How long a send with an unknown outcome waits for a status webhook, unless the worker is configured otherwise. */
export const DEFAULT_RECONCILE_GRACE_MS = 120_000;
