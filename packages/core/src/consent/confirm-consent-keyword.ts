import type { Db } from "@inbox/db";
import { confirmationText, loadConsentKeywordSettings } from "./consent-keywords";
import { chooseReplyLanguage, type ReplyLanguage } from "./reply-language";
import { createOutboundMessage } from "../messages/create-outbound-message";

export interface ConfirmConsentKeywordInput {
  contactId: string;
  conversationId: string;
  kind: "opt_in" | "opt_out";
  /** DEFAULT_CUSTOMER_LANGUAGE: the confirmation's language when neither the keyword nor the number tells it. */
  defaultLanguage?: ReplyLanguage | undefined;
}

/**
 * Queues the configured confirmation after a chat opt-in / opt-out keyword: an outbound text Message (status
 * queued) and its `message.send` job in one transaction. Idempotent per consent record: the clientId is derived
 * from the newest keyword consent, so a retried job does not queue a second confirmation. The payload marks it
 * as the opt-out confirmation, which the send policy lets through even to an opted-out contact.
 */
export async function confirmConsentKeyword(
  db: Db,
  input: ConfirmConsentKeywordInput,
): Promise<{ messageId: string | null }> {
  return db.$transaction(async (tx) => {
    const consent = await tx.consent.findFirst({
      where: {
        contactId: input.contactId,
        source: "chat_keyword",
        status: input.kind === "opt_in" ? "granted" : "withdrawn",
      },
      // One keyword records a consent per purpose at the same instant: the id breaks the tie, so a retried job
      // derives the same clientId and does not queue a second confirmation.
      orderBy: [{ occurredAt: "desc" }, { id: "asc" }],
    });
    const conversation = await tx.conversation.findUnique({
      where: { id: input.conversationId },
      select: { id: true, channelId: true, firstResponseAt: true },
    });
    if (!consent || !conversation) return { messageId: null };
    const settings = await loadConsentKeywordSettings(tx);
    // One language: the keyword's own ("JA" → German, "YES" → English), else the contact's locale or number; the
    // admin's text in it, else the admin's text in the default language, else the built-in one.
    const contact = await tx.contact.findUnique({
      where: { id: input.contactId },
      select: { locale: true, countryCode: true, waId: true },
    });
    const evidence = consent.evidence as { text?: unknown } | null;
    const language = chooseReplyLanguage(
      { ...contact, messageText: typeof evidence?.text === "string" ? evidence.text : null },
      input.defaultLanguage ?? "en",
    );
    const text = confirmationText(settings, input.kind, language, input.defaultLanguage ?? "en");
    const clientId = `consent-confirm-${consent.id}`;
    const created = await createOutboundMessage(
      tx,
      conversation,
      {
        type: "text",
        text,
        payload: {
          kind: "consent_confirmation",
          consentKind: input.kind,
          consentId: consent.id,
          isOptOutConfirmation: input.kind === "opt_out",
        },
        clientId,
        senderId: null,
        status: "queued",
      },
      new Date(),
    );
    return { messageId: created?.id ?? null };
  });
}
