import { isGraphApiError, type SendMessageRequest, type SendMessageResponse } from "@inbox/whatsapp";
import { getChannelCapabilities } from "../channels/channel-registry";
import { isAppError } from "../errors/app-error";
import { buildSendRequest } from "./build-send-request";
import { evaluateSendPolicy } from "./evaluate-send-policy";
import { handleGraphError } from "./graph-failure";
import { markFailed, unclaim } from "./message-send-state";
import { reconcileUnclaimed } from "./reconcile-unclaimed";
import type { SendOutcome, SendQueuedMessageDeps, SendQueuedMessageInput } from "./send-deps";
import { POLICY_REASONS_DE, THROUGHPUT_REFUSED_CODE } from "./send-errors";
import { uploadOutboundMedia } from "./upload-outbound-media";
import { waitForSlot } from "./wait-for-slot";

/** 130429 answers re-booked within one attempt; one more goes back to the queue (handleGraphError). */
const MAX_THROUGHPUT_REFUSALS = 3;

/**
 * The worker's half of the outbound pipeline, for one stored message (docs/design/outbound-delivery.md):
 *
 * 1. Claim and load in one statement (`queued` → `sending`, attempts + 1; only without a wamid and on an active
 *    channel). Not claimable → reconcileUnclaimed decides from the stored state.
 * 2. Re-check the rules (consent, window, template) — they may have changed since queuing.
 * 3. Upload a media message's file to Meta; build the request.
 * 4. Book the number's send slot and the recipient's pair slot and wait for it (no slot soon enough → back to
 *    `queued` and a throughput wait, which the worker defers to its slot without using an attempt); just before the slot, mark the message as handed to Graph (only while the claim is
 *    still this attempt's).
 * 5. Call Graph; record the wamid and `sent` in one statement. 130429 (throughput reached): back to step 4 for a
 *    new slot, a few times; other Graph errors: handleGraphError.
 */
export async function sendQueuedMessage(
  deps: SendQueuedMessageDeps,
  input: SendQueuedMessageInput,
): Promise<SendOutcome> {
  const outcome = await sendOnce(deps, input);
  if (outcome.outcome === "sent" || outcome.outcome === "failed")
    deps.live.add({ updatedMessageIds: [input.messageId] });
  return outcome;
}

async function sendOnce(deps: SendQueuedMessageDeps, input: SendQueuedMessageInput): Promise<SendOutcome> {
  const { db, log, clock, statements } = deps;
  // Fast path: claim and load in one statement. Anything unusual (sent, sending, paused, gone) takes the slow path.
  const message = await statements.claim(input.messageId, clock());
  if (!message) return reconcileUnclaimed(deps, input, () => sendOnce(deps, input));

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
      capabilities: getChannelCapabilities(message._channelType),
    });
    if (!decision.ok) {
      log.info({ messageId: message.id, code: decision.code }, "send refused by the rules at send time");
      const reason = { de: POLICY_REASONS_DE[decision.code], en: decision.reason };
      await markFailed(db, message, { code: null, title: decision.code, reason }, clock());
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

  const media = await uploadOutboundMedia({ ...deps.media, db, log }, message, {
    phoneNumberId: message._channelExternalId,
    isLastAttempt: input.isLastAttempt,
    now: clock(),
  });
  if (media.outcome === "failed") return media;
  message.payload = media.payload;

  let request: SendMessageRequest;
  try {
    request = buildSendRequest(message, contact);
  } catch (error) {
    const reason = {
      de: "Die Nachricht kann so nicht gesendet werden.",
      en: error instanceof Error ? error.message : String(error),
    };
    await markFailed(db, message, { code: null, title: "not_sendable", reason }, clock());
    return { outcome: "failed", code: "not_sendable" };
  }

  // The mark (sendStartedAt) is committed before the request leaves: a message whose job dies before it is known
  // never to have reached Graph and is sent by the next attempt; one marked is never sent again.
  // Meta's 130429 (throughput reached) means nothing was sent: the send books the number's next slot and goes again
  // in the same attempt (the recipient keeps its pair slot), up to MAX_THROUGHPUT_REFUSALS times.
  for (let refusals = 0; ; refusals++) {
    let isMarked: boolean;
    try {
      isMarked = await waitForSlot(
        deps.throttle,
        {
          channelId: message.channelId,
          limitPerSecond: message._throughputLimit,
          recipientKey: contact.waId ?? contact.userId ?? contact.id,
          // On the last attempt wait inline however long it takes: a retry would not exist to pick it up.
          maxWaitMs: input.isLastAttempt ? Number.POSITIVE_INFINITY : deps.maxInlineWaitMs,
          maxLatenessMs: deps.maxSlotLatenessMs,
          isPairHeld: refusals > 0,
          onSlotMissed: () => deps.countThrottling("slot_missed"),
        },
        () => statements.markSendStarted(message, clock()),
      );
    } catch (error) {
      await unclaim(db, message.id, clock());
      throw error;
    }
    if (!isMarked) {
      log.warn({ messageId: message.id }, "claim taken over by another attempt before sending; this one sends nothing");
      return { outcome: "skipped", reason: "claimed_elsewhere" };
    }

    await deps.dispatchGate(message.channelId, message._throughputLimit);
    let response: SendMessageResponse;
    try {
      response = await deps.graph.sendMessage(message._channelExternalId, request);
    } catch (error) {
      if (isGraphApiError(error) && error.code === THROUGHPUT_REFUSED_CODE && refusals < MAX_THROUGHPUT_REFUSALS) {
        deps.countThrottling("throughput_refused");
        continue;
      }
      return handleGraphError(deps, message, error, input.isLastAttempt);
    }
    const externalId = response.messages[0]!.id;
    await statements.record(message, externalId, clock());
    return { outcome: "sent", externalId };
  }
}
