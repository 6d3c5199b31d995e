import type { Message } from "@inbox/db";
import type { Logger } from "@inbox/logger";
import { describeCloudApiError, getCloudApiError, isGraphApiError, type GraphApiError } from "@inbox/whatsapp";
import { recordAudit } from "../audit/record-audit";
import { recordConsent } from "../consent/record-consent";
import { markFailed, unclaim } from "./message-send-state";
import type { SendOutcome, SendQueuedMessageDeps } from "./send-deps";
import { RetryableSendError, UNCONFIRMED_REASON, type FailureReason } from "./send-errors";

const TOKEN_ERROR_CODES = new Set([190]);
const MARKETING_OPT_OUT_CODE = 131050;

type FailureDeps = Pick<SendQueuedMessageDeps, "db" | "log" | "clock" | "reconcileGraceMs">;

interface Failure {
  message: Message;
  error: GraphApiError;
  isLastAttempt: boolean;
  log: Logger;
}

/**
 * What a failed Graph call means for the message, one outcome each: ambiguous (Meta may have it) → stays `sending`
 * and waits for a status webhook; token rejected (190) → channel paused, message back to `queued`; retryable →
 * back to `queued` and RetryableSendError (failed on the last attempt); anything else → failed with Meta's code and
 * reason (131050 also records the marketing opt-out). Errors that are not Graph's are rethrown.
 */
export async function handleGraphError(
  deps: FailureDeps,
  message: Message,
  error: unknown,
  isLastAttempt: boolean,
): Promise<SendOutcome> {
  if (!isGraphApiError(error)) throw error;
  const failure: Failure = { message, error, isLastAttempt, log: deps.log.child({ messageId: message.id }) };
  if (isAmbiguous(error)) return awaitStatus(deps, failure);
  if (error.code !== undefined && TOKEN_ERROR_CODES.has(error.code)) return pauseChannel(deps, failure);
  if (error.isRetryable || (error.code === undefined && neverReachedGraph(error))) return retryLater(deps, failure);
  return failPermanently(deps, failure);
}

/** Graph never received the request (connection refused, DNS): safe to send again. */
function neverReachedGraph(error: GraphApiError): boolean {
  const cause = error.cause as { code?: string; cause?: { code?: string } } | undefined;
  const code = cause?.code ?? cause?.cause?.code;
  return !error.isTimeout && error.httpStatus === undefined && (code === "ECONNREFUSED" || code === "ENOTFOUND");
}

/** Timeout, connection cut or a 2xx we could not read: Meta may have accepted it. */
function isAmbiguous(error: GraphApiError): boolean {
  if (error.httpStatus === undefined) return !neverReachedGraph(error);
  return error.httpStatus < 300;
}

function reasonOf(error: GraphApiError): FailureReason {
  return { de: describeCloudApiError(error.code, "de"), en: describeCloudApiError(error.code, "en") };
}

/** Stay `sending`; the retry reconciles (status webhook or "unconfirmed") instead of sending a second copy. */
async function awaitStatus(deps: FailureDeps, { message, error, isLastAttempt, log }: Failure): Promise<SendOutcome> {
  log.warn({ isTimeout: error.isTimeout, httpStatus: error.httpStatus }, "send outcome unknown");
  if (isLastAttempt) {
    const failure = { code: null, title: "delivery_unconfirmed", reason: UNCONFIRMED_REASON };
    await markFailed(deps.db, message, failure, deps.clock());
    return { outcome: "failed", code: "delivery_unconfirmed" };
  }
  throw new RetryableSendError("awaiting_status", error.message, deps.reconcileGraceMs);
}

async function pauseChannel(deps: FailureDeps, { message, error, log }: Failure): Promise<SendOutcome> {
  const code = error.code!;
  const reason = reasonOf(error);
  await deps.db.$transaction(async (tx) => {
    await tx.channel.update({
      where: { id: message.channelId },
      data: { status: "paused", statusReason: `${code}: ${reason.en}` },
    });
    await unclaim(tx, message.id, deps.clock());
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

async function retryLater(deps: FailureDeps, { message, error, isLastAttempt, log }: Failure): Promise<SendOutcome> {
  const code = error.code;
  if (isLastAttempt) {
    log.warn({ errorCode: code }, "retryable send error on the last attempt; message failed");
    const title = (code !== undefined ? getCloudApiError(code)?.title : undefined) ?? error.message;
    await markFailed(deps.db, message, { code: code ?? null, title, reason: reasonOf(error) }, deps.clock());
    return { outcome: "failed", code: String(code ?? "unreachable") };
  }
  await unclaim(deps.db, message.id, deps.clock());
  throw new RetryableSendError("graph", error.message, undefined, code);
}

async function failPermanently(deps: FailureDeps, { message, error, log }: Failure): Promise<SendOutcome> {
  const { db, clock } = deps;
  const code = error.code;
  const title = (code !== undefined ? getCloudApiError(code)?.title : undefined) ?? error.message;
  await db.$transaction(async (tx) => {
    await markFailed(tx, message, { code: code ?? null, title, reason: reasonOf(error) }, clock());
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
