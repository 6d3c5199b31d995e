import type { Db, Message, Prisma } from "@inbox/db";
import type { Logger } from "@inbox/logger";
import {
  describeCloudApiError,
  getCloudApiError,
  isGraphApiError,
  type GraphApiError,
  type SendMessageRequest,
  type SendMessageResponse,
} from "@inbox/whatsapp";
import { recordAudit } from "../audit/record-audit";
import { isAppError } from "../errors/app-error";
import { buildSendRequest } from "./build-send-request";
import type { LiveChangeBatcher } from "../realtime/live-change-batcher";
import { evaluateSendPolicy } from "./evaluate-send-policy";
import { recordConsent } from "../consent/record-consent";
import { POLICY_REASONS_DE, RetryableSendError, UNCONFIRMED_REASON, type FailureReason } from "./send-errors";
import { uploadOutboundMedia, type UploadOutboundMediaDeps } from "./upload-outbound-media";
import { createSendStatements, type ClaimedMessage, type SendStatements } from "./send-statements";

/** What the use case needs of the Graph API client (GraphClient from @inbox/whatsapp satisfies it). */
export interface MessageSender {
  sendMessage(phoneNumberId: string, body: SendMessageRequest): Promise<SendMessageResponse>;
}

export interface ThrottleRequest {
  channelId: string;
  /** Channel.throughputLimit: messages per second for the phone number. */
  limitPerSecond: number;
  /** Pair-rate key: the recipient's identity on the channel. */
  recipientKey: string;
  /** Book a slot only if it is at most this far away. */
  maxWaitMs: number;
  /** The recipient already holds a pair slot (re-booking a number slot that was missed): do not charge it again. */
  isPairHeld?: boolean;
}

/**
 * Books the number's earliest send slot if the recipient's pair limit allows a message now. Booked → wait
 * `waitMs`, then send; not booked → ask again after `waitMs` (or retry the job later when that is too long).
 */
export type Throttle = (request: ThrottleRequest) => Promise<{
  isBooked: boolean;
  waitMs: number;
  /** The booked slot on this process's clock (Date.now()); when given, a send later than the slot + tolerance re-books. */
  dueAt?: number;
}>;

export interface SendQueuedMessageDeps {
  db: Db;
  graph: MessageSender;
  log: Logger;
  clock?: () => Date;
  throttle?: Throttle;
  /** How long a message left `sending` without a wamid waits for a status webhook before it is given up. */
  reconcileGraceMs?: number;
  /** Live updates to consoles: message.updated after a send was accepted or failed (batched by the worker). */
  live?: Pick<LiveChangeBatcher, "add">;
  /** Waits up to this long inline for a rate-limit token; longer waits become a delayed retry. */
  maxInlineWaitMs?: number;
  /**
   * A request that would leave more than this long after its booked slot (event-loop stall, slow timer) books a
   * new slot instead: late requests bunch up with the following ones and overrun Meta's sliding second.
   */
  maxSlotLatenessMs?: number;
  /**
   * Called right before each Graph request, after the slot: holds the request while this process already sent
   * the number's limit within the last second (+ margin), counted on actual send times. Catches the bunching
   * that event-loop stalls cause among one process's sends.
   */
  dispatchGate?: (channelId: string, limitPerSecond: number) => Promise<void>;
  /** Claim and record statements; the worker shares group-committed ones between its concurrent sends. */
  statements?: SendStatements;
  /** Media store and uploader: a media message's file goes to Meta (`/media`) right before its send. */
  media?: Omit<UploadOutboundMediaDeps, "db" | "log">;
}

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

export const DEFAULT_RECONCILE_GRACE_MS = 120_000;
/**
 * A claim this old that never reached Graph (no sendStartedAt) belongs to a job that died while it waited for its
 * send slot: the message is taken over and sent. A live job waits at most `maxInlineWaitMs` for a slot, except on
 * its last attempt; if a live job's claim is taken over anyway, its own mark fails and it sends nothing.
 */
export const ORPHANED_CLAIM_MS = 60_000;
/** The request is marked as handed to Graph this long before its slot, so the mark's commit does not delay it. */
const MARK_LEAD_MS = 100;
const TOKEN_ERROR_CODES = new Set([190]);
const MARKETING_OPT_OUT_CODE = 131050;

const DEFAULT_MAX_SLOT_LATENESS_MS = 50;
/** A process that keeps missing its slots still sends eventually (on the last re-booked slot). */
const MAX_REBOOKS = 20;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The worker's half of the outbound pipeline, for one stored message:
 *
 * 1. Claim and load in one statement (`queued` → `sending`, attempts + 1; only without a wamid and on an active
 *    channel). Not claimable → the slow path reconciles with the stored state: a message with a wamid or past
 *    `sending` is never sent again; a message claimed but never marked as handed to Graph (its job died while it
 *    waited for a slot) is taken over after ORPHANED_CLAIM_MS and sent; a message marked (`sendStartedAt`) but
 *    without a wamid (the worker died before Graph answered or before our commit, or Graph timed out) waits
 *    `reconcileGraceMs` for a status webhook — which carries our message id in `biz_opaque_callback_data` — and
 *    is then marked failed as "unconfirmed", never re-sent (no double sends); a paused channel leaves it queued.
 * 2. Re-check the rules (consent, window, template) — they may have changed since queuing.
 * 3. Book the number's send slot and the recipient's pair slot and wait for it (no slot soon enough → back to
 *    `queued`, delayed retry); just before the slot, mark the message as handed to Graph (only while the claim is
 *    still this attempt's).
 * 4. Call Graph; record the wamid and `sent` in one statement.
 * 5. Map Graph errors: retryable → back to `queued` and RetryableSendError (failed on the last attempt);
 *    190 → pause the channel, message stays queued; permanent → failed with Meta's code and reason;
 *    131050 also records the marketing opt-out.
 */
export async function sendQueuedMessage(
  deps: SendQueuedMessageDeps,
  input: SendQueuedMessageInput,
): Promise<SendOutcome> {
  const outcome = await sendOnce(deps, input);
  if (outcome.outcome === "sent" || outcome.outcome === "failed")
    deps.live?.add({ updatedMessageIds: [input.messageId] });
  return outcome;
}

/** Puts a claimed message back to `queued` (nothing was sent). */
async function unclaim(db: Db, messageId: string, now: Date): Promise<void> {
  await db.message.updateMany({
    where: { id: messageId, status: "sending", externalId: null },
    data: { status: "queued", sendStartedAt: null, statusAt: now },
  });
}

/** Why a message could not be claimed: the slow path, one more read. */
async function explainUnclaimed(
  deps: SendQueuedMessageDeps,
  input: SendQueuedMessageInput,
  clock: () => Date,
  log: Logger,
): Promise<SendOutcome> {
  const { db } = deps;
  const message = await db.message.findUnique({ where: { id: input.messageId }, include: { channel: true } });
  if (!message) return { outcome: "skipped", reason: "not_found" };
  if (message.direction !== "outbound" || message.isPrivate) return { outcome: "skipped", reason: "not_outbound" };
  if (message.externalId || (message.status !== "queued" && message.status !== "sending")) {
    return { outcome: "skipped", reason: "already_sent" };
  }
  if (message.status === "sending" && !message.sendStartedAt) {
    // Claimed, never handed to Graph: nothing was sent. Wait out a claim that may still be a live job's, then take
    // the message over (the old claim's mark then fails, so it cannot be sent twice).
    const claimedFor = clock().getTime() - message.statusAt.getTime();
    if (claimedFor < ORPHANED_CLAIM_MS) {
      throw new RetryableSendError(
        "awaiting_claim",
        "claimed by another attempt that has not sent it yet",
        ORPHANED_CLAIM_MS - claimedFor,
      );
    }
    const { count } = await db.message.updateMany({
      where: { id: message.id, status: "sending", externalId: null, sendStartedAt: null, attempts: message.attempts },
      data: { status: "queued", statusAt: clock() },
    });
    if (count === 1) {
      log.info({ messageId: message.id }, "claim of a job that died before sending taken over; sending");
      return sendOnce(deps, input);
    }
    return { outcome: "skipped", reason: "claimed_elsewhere" };
  }
  if (message.status === "sending") {
    const startedAt = message.sendStartedAt?.getTime() ?? message.statusAt.getTime();
    const waited = clock().getTime() - startedAt;
    const grace = deps.reconcileGraceMs ?? DEFAULT_RECONCILE_GRACE_MS;
    if (waited < grace && !input.isLastAttempt) {
      throw new RetryableSendError(
        "awaiting_status",
        "send outcome unknown; waiting for a status webhook",
        grace - waited,
      );
    }
    log.warn({ messageId: message.id }, "send outcome unknown after the grace period; marked failed, not re-sent");
    await markFailed(db, message, { code: null, title: "delivery_unconfirmed", reason: UNCONFIRMED_REASON }, clock());
    return { outcome: "failed", code: "delivery_unconfirmed" };
  }
  if (message.channel.status !== "active") {
    // Left queued: resumeChannel re-enqueues it when an admin fixed the token. Nothing burns retries meanwhile.
    log.info({ messageId: message.id, channelId: message.channel.id }, "channel paused; message stays queued");
    return { outcome: "channel_paused" };
  }
  return { outcome: "skipped", reason: "claimed_elsewhere" };
}

async function sendOnce(deps: SendQueuedMessageDeps, input: SendQueuedMessageInput): Promise<SendOutcome> {
  const { db, log } = deps;
  const clock = deps.clock ?? (() => new Date());
  // Hot path: claim and load in one statement. Anything unusual (sent, sending, paused, gone) takes the slow path.
  const statements = deps.statements ?? createSendStatements(db);
  const message = await statements.claim(input.messageId, clock());
  if (!message) return explainUnclaimed(deps, input, clock, log);

  const contact = { id: message._contactId, waId: message._waId, userId: message._userId };
  const payload = (message.payload ?? {}) as {
    template?: { name: string; language: string };
    isOptOutConfirmation?: boolean;
  };
  try {
    const { decision } = await evaluateSendPolicy(db, {
      channelId: message.channelId,
      contactId: contact.id,
      lastInboundAt: message._lastInboundAt,
      now: clock(),
      kind: message.type === "template" ? "template" : "free_form",
      template: message.type === "template" ? payload.template : undefined,
      isOptOutConfirmation: payload.isOptOutConfirmation,
      consents: message._consents,
    });
    if (!decision.ok) {
      log.info({ messageId: message.id, code: decision.code }, "send refused by the rules at send time");
      await markFailed(
        db,
        message,
        { code: null, title: decision.code, reason: { de: POLICY_REASONS_DE[decision.code], en: decision.reason } },
        clock(),
      );
      return { outcome: "failed", code: decision.code };
    }
  } catch (error) {
    if (isAppError(error) && (error.code === "template_not_found" || error.code === "template_not_approved")) {
      const de =
        error.code === "template_not_found"
          ? "Die Vorlage ist nicht (mehr) vorhanden."
          : "Die Vorlage ist nicht (mehr) freigegeben.";
      await markFailed(db, message, { code: null, title: error.code, reason: { de, en: error.message } }, clock());
      return { outcome: "failed", code: error.code };
    }
    await unclaim(db, message.id, clock());
    throw error;
  }

  if (deps.media) {
    const media = await uploadOutboundMedia({ ...deps.media, db, log }, message, {
      phoneNumberId: message._channelExternalId,
      isLastAttempt: input.isLastAttempt,
      now: clock(),
    });
    if (media.outcome === "failed") return media;
    message.payload = media.payload;
  }

  let request: SendMessageRequest;
  try {
    request = buildSendRequest(message, contact);
  } catch (error) {
    const en = error instanceof Error ? error.message : String(error);
    await markFailed(
      db,
      message,
      { code: null, title: "not_sendable", reason: { de: "Die Nachricht kann so nicht gesendet werden.", en } },
      clock(),
    );
    return { outcome: "failed", code: "not_sendable" };
  }

  // The mark (sendStartedAt) is committed before the request leaves: a message whose job dies before it is known
  // never to have reached Graph and is sent by the next attempt; one marked is never sent again.
  const markSendStarted = () => statements.markSendStarted(message, clock());
  let isMarked: boolean;
  if (deps.throttle) {
    try {
      isMarked = await waitForSlot(deps, input, message, contact, markSendStarted);
    } catch (error) {
      await unclaim(db, message.id, clock());
      throw error;
    }
  } else {
    isMarked = await markSendStarted();
  }
  if (!isMarked) {
    log.warn({ messageId: message.id }, "claim taken over by another attempt before sending; this one sends nothing");
    return { outcome: "skipped", reason: "claimed_elsewhere" };
  }

  if (deps.dispatchGate) await deps.dispatchGate(message.channelId, message._throughputLimit);
  let response: SendMessageResponse;
  try {
    response = await deps.graph.sendMessage(message._channelExternalId, request);
  } catch (error) {
    return handleGraphError(deps, message, error, input.isLastAttempt, clock);
  }
  const externalId = response.messages[0]!.id;
  await statements.record(message, externalId, clock());
  return { outcome: "sent", externalId };
}

/**
 * Books the number's next slot (and the recipient's pair slot) and sleeps until it; `mark` runs (once)
 * MARK_LEAD_MS before the slot, and its answer is returned. A slot missed by more than `maxSlotLatenessMs` (the
 * process stalled) is not used: late requests would arrive bunched with the following ones and overrun Meta's
 * sliding second, so a fresh slot is booked (the recipient keeps its pair slot).
 */
async function waitForSlot(
  deps: SendQueuedMessageDeps,
  input: SendQueuedMessageInput,
  message: ClaimedMessage,
  contact: { id: string; waId: string | null; userId: string | null },
  mark: () => Promise<boolean>,
): Promise<boolean> {
  const throttle = deps.throttle!;
  const recipientKey = contact.waId ?? contact.userId ?? contact.id;
  // On the last attempt wait inline however long it takes: a retry would not exist to pick it up.
  const maxWaitMs = input.isLastAttempt ? Number.POSITIVE_INFINITY : (deps.maxInlineWaitMs ?? 2_000);
  const maxLateness = deps.maxSlotLatenessMs ?? DEFAULT_MAX_SLOT_LATENESS_MS;
  let isPairHeld = false;
  let marked: boolean | undefined;
  const markOnce = async () => (marked ??= await mark());
  for (let waited = 0, rebooked = 0; ;) {
    const slot = await throttle({
      channelId: message.channelId,
      limitPerSecond: message._throughputLimit,
      recipientKey,
      maxWaitMs,
      isPairHeld,
    });
    if (slot.isBooked) {
      isPairHeld = true;
      const dueAt = slot.dueAt ?? Date.now() + slot.waitMs;
      if (dueAt - Date.now() > MARK_LEAD_MS) await sleep(dueAt - Date.now() - MARK_LEAD_MS);
      if (!(await markOnce())) return false;
      const remaining = dueAt - Date.now();
      if (remaining > 0) await sleep(remaining);
      if (slot.dueAt === undefined || Date.now() - dueAt <= maxLateness || rebooked >= MAX_REBOOKS) return true;
      rebooked++;
      continue;
    }
    if (waited + slot.waitMs > maxWaitMs)
      throw new RetryableSendError("rate_limited", "rate limit: sending later", slot.waitMs);
    await sleep(slot.waitMs);
    waited += slot.waitMs;
  }
}

async function markFailed(
  db: Prisma.TransactionClient | Db,
  message: Message,
  failure: { code: number | null; title: string; reason: FailureReason },
  now: Date,
): Promise<void> {
  await db.message.updateMany({
    where: { id: message.id, externalId: null, status: { in: ["queued", "sending"] } },
    data: {
      status: "failed",
      statusAt: now,
      failedAt: now,
      errorCode: failure.code,
      errorTitle: failure.title,
      errorDetails: `${failure.reason.de}\n${failure.reason.en}`,
    },
  });
}

/** Graph never received the request (connection refused, DNS): safe to send again. */
function neverReachedGraph(error: GraphApiError): boolean {
  const cause = error.cause as { code?: string; cause?: { code?: string } } | undefined;
  const code = cause?.code ?? cause?.cause?.code;
  return !error.isTimeout && error.httpStatus === undefined && (code === "ECONNREFUSED" || code === "ENOTFOUND");
}

async function handleGraphError(
  deps: SendQueuedMessageDeps,
  message: Message,
  error: unknown,
  isLastAttempt: boolean,
  clock: () => Date,
): Promise<SendOutcome> {
  const { db } = deps;
  const log = deps.log.child({ messageId: message.id });
  if (!isGraphApiError(error)) throw error;

  const isAmbiguous =
    (error.httpStatus === undefined && !neverReachedGraph(error)) ||
    (error.httpStatus !== undefined && error.httpStatus < 300);
  if (isAmbiguous) {
    // Timeout / connection cut / a 2xx we could not read: Meta may have accepted it. Stay `sending`; the retry
    // reconciles (status webhook or "unconfirmed") instead of sending a second copy.
    log.warn({ isTimeout: error.isTimeout, httpStatus: error.httpStatus }, "send outcome unknown");
    if (isLastAttempt) {
      await markFailed(db, message, { code: null, title: "delivery_unconfirmed", reason: UNCONFIRMED_REASON }, clock());
      return { outcome: "failed", code: "delivery_unconfirmed" };
    }
    throw new RetryableSendError("awaiting_status", error.message, deps.reconcileGraceMs ?? DEFAULT_RECONCILE_GRACE_MS);
  }

  const code = error.code;
  const info = code === undefined ? undefined : getCloudApiError(code);
  const reason: FailureReason = { de: describeCloudApiError(code, "de"), en: describeCloudApiError(code, "en") };
  const title = info?.title ?? error.message;

  if (code !== undefined && TOKEN_ERROR_CODES.has(code)) {
    await db.$transaction(async (tx) => {
      await tx.channel.update({
        where: { id: message.channelId },
        data: { status: "paused", statusReason: `${code}: ${reason.en}` },
      });
      await tx.message.updateMany({
        where: { id: message.id, status: "sending", externalId: null },
        data: { status: "queued", sendStartedAt: null, statusAt: clock() },
      });
      await recordAudit(tx, { type: "system" }, "channel.paused", "channel", message.channelId, {
        errorCode: code,
        reason: reason.en,
      });
    });
    log.error(
      { channelId: message.channelId, errorCode: code },
      "access token rejected; channel paused, admins must renew it",
    );
    return { outcome: "channel_paused" };
  }

  if (error.isRetryable || (code === undefined && neverReachedGraph(error))) {
    if (isLastAttempt) {
      log.warn({ errorCode: code }, "retryable send error on the last attempt; message failed");
      await markFailed(db, message, { code: code ?? null, title, reason }, clock());
      return { outcome: "failed", code: String(code ?? "unreachable") };
    }
    await db.message.updateMany({
      where: { id: message.id, status: "sending", externalId: null },
      data: { status: "queued", sendStartedAt: null, statusAt: clock() },
    });
    throw new RetryableSendError("graph", error.message, undefined, code);
  }

  await db.$transaction(async (tx) => {
    await markFailed(tx, message, { code: code ?? null, title, reason }, clock());
    if (code === MARKETING_OPT_OUT_CODE) {
      const contact = await tx.message.findUnique({
        where: { id: message.id },
        select: { conversation: { select: { contactId: true } } },
      });
      if (contact) {
        await recordConsent(tx, {
          contactId: contact.conversation.contactId,
          purposes: ["marketing"],
          status: "withdrawn",
          source: "whatsapp",
          evidence: { messageId: message.id, errorCode: code, details: error.details ?? null },
          occurredAt: clock(),
        });
      }
    }
  });
  log.info({ errorCode: code }, "send failed permanently");
  return { outcome: "failed", code: String(code ?? error.httpStatus ?? "unknown") };
}
