import type { MessageDto } from "@inbox/contracts";
import type { Db } from "@inbox/db";
import { recordAudit } from "../audit/record-audit";
import { isWindowOpen } from "../conversations/window";
import { AppError } from "../errors/app-error";
import { loadConsentKeywordSettings } from "../inbound/consent-keywords";
import { findCurrentConsents } from "../outbound/find-current-consents";
import { queueOutboundMessage, type QueueOutboundMessageDeps } from "../outbound/queue-outbound-message";
import { customerLanguageOf, loadConsentQuestion } from "./auto-reply-texts";
import { isOptedOutOf } from "./consent-rules";

/**
 * "Ask for consent": while the customer's 24 h window is open, sends the configured consent question for the
 * opt-in purpose (what "JA" grants) in the customer's language, as a normal outbound text from the agent. The
 * customer's "JA" is then recorded by the keyword opt-in, so the conversation can go on with templates after the
 * window closed. Refused when the window is closed (window_closed: only a template could be sent, and asking for
 * consent is not a template's purpose), when the customer opted out and has not written since (opted_out), or
 * when the consent is already granted (conflict). One question per click: `clientId` makes a double click one send.
 */
export async function requestConsent(
  deps: QueueOutboundMessageDeps,
  input: { conversationId: string; userId: string; clientId: string; ip?: string },
): Promise<{ message: MessageDto; isNew: boolean; language: "de" | "en"; purpose: "service" | "marketing" }> {
  const db: Db = deps.db;
  const now = deps.clock?.() ?? new Date();
  const conversation = await db.conversation.findUnique({
    where: { id: input.conversationId },
    select: { id: true, contactId: true, lastInboundAt: true },
  });
  if (!conversation) throw new AppError("not_found", "Conversation not found.");
  const { optInPurpose } = await loadConsentKeywordSettings(db);
  const consents = await findCurrentConsents(db, conversation.contactId);
  if (isOptedOutOf(consents, "service", conversation.lastInboundAt))
    throw new AppError("opted_out", "The contact has opted out; wait until they write again.");
  if (!isWindowOpen(conversation.lastInboundAt, now))
    throw new AppError(
      "window_closed",
      "The consent question can only be sent while the customer's 24 h window is open.",
    );
  if (consents.find((c) => c.purpose === optInPurpose)?.status === "granted")
    throw new AppError("conflict", "The contact has already given this consent.");

  const language = await customerLanguageOf(db, conversation.id);
  const question = (await loadConsentQuestion(db, optInPurpose))[language];
  const { message, isNew } = await queueOutboundMessage(deps, {
    conversationId: conversation.id,
    body: { type: "text", text: question.text, clientId: input.clientId },
    senderId: input.userId,
    meta: { kind: "consent_request", purpose: optInPurpose, language, wordingVersion: question.version },
  });
  if (isNew) {
    await recordAudit(
      db,
      { type: "user", userId: input.userId, ...(input.ip ? { ip: input.ip } : {}) },
      "consent.requested",
      "conversation",
      conversation.id,
      { purpose: optInPurpose, language, wordingVersion: question.version },
    );
  }
  return { message, isNew, language, purpose: optInPurpose };
}
