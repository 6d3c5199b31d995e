import type { MessageDto } from "@inbox/contracts";
import type { DbTx } from "@inbox/db";
import { AppError } from "../errors/app-error";
import { queueOutboundMessage, type QueueOutboundMessageDeps } from "../outbound/queue-outbound-message";
import { isUuid } from "../shared/ids";
import { loadConsentKeywordSettings, normalizeKeyword } from "./consent-keywords";
import type { ConsentPurpose } from "./consent-rules";
import { chooseReplyLanguage, type ReplyLanguage } from "./reply-language";

/** The question asked when admins have not configured a wording for the purpose in the customer's language. */
const DEFAULT_QUESTION: Record<ConsentPurpose, Record<ReplyLanguage, string>> = {
  service: {
    de: "Dürfen wir Sie auch nach 24 Stunden hier per WhatsApp zu Ihrem Anliegen benachrichtigen (z. B. Status Ihrer Bestellung)? Sie können jederzeit mit STOP widerrufen.",
    en: "May we notify you here on WhatsApp about your request after 24 hours too (for example your order's status)? You can withdraw at any time by replying STOP.",
  },
  marketing: {
    de: "Dürfen wir Ihnen hier per WhatsApp auch Angebote und Neuigkeiten senden? Sie können jederzeit mit STOP widerrufen.",
    en: "May we also send you offers and news here on WhatsApp? You can withdraw at any time by replying STOP.",
  },
};

/** The opt-in keyword to name in the question: the language's usual word when it is configured, else the first one. */
function answerKeyword(optIn: string[], language: ReplyLanguage): string {
  const preferred = language === "de" ? ["JA", "Zustimmung"] : ["YES", "START"];
  const configured = new Set(optIn.map(normalizeKeyword));
  return preferred.find((k) => configured.has(normalizeKeyword(k))) ?? optIn[0] ?? "JA";
}

/** The consent question in one language: the admin's newest active wording for the purpose, else the default. */
async function composeConsentQuestion(
  db: DbTx,
  input: { purpose: ConsentPurpose; language: ReplyLanguage; optIn: string[] },
): Promise<string> {
  const wording = await db.consentText.findFirst({
    where: { purpose: input.purpose, language: input.language, isActive: true },
    orderBy: { version: "desc" },
  });
  const question = wording?.text ?? DEFAULT_QUESTION[input.purpose][input.language];
  const keyword = answerKeyword(input.optIn, input.language);
  const instruction =
    input.language === "de" ? `Antworten Sie mit ${keyword}, um zuzustimmen.` : `Reply ${keyword} to agree.`;
  return `${question}\n\n${instruction}`;
}

/**
 * "Ask for consent": sends the configured consent question in the customer's language as an ordinary outbound text
 * from the agent, so the send rules apply (only inside the 24 h window, never to an opted-out contact). The answer
 * is the customer's own opt-in keyword ("JA"/"YES"), recorded by the inbound path with the active wording; after
 * the window closes, templates of that purpose may then be sent. Idempotent on clientId like any send.
 */
export async function requestConsent(
  deps: QueueOutboundMessageDeps & { defaultLanguage: ReplyLanguage },
  input: { conversationId: string; senderId: string; clientId: string; purpose?: ConsentPurpose | undefined },
): Promise<{ message: MessageDto; isNew: boolean }> {
  const conversation = isUuid(input.conversationId)
    ? await deps.db.conversation.findUnique({
        where: { id: input.conversationId },
        select: {
          contact: { select: { locale: true, countryCode: true, waId: true } },
          messages: {
            where: { direction: "inbound" },
            orderBy: { createdAt: "desc" },
            take: 1,
            select: { text: true },
          },
        },
      })
    : null;
  if (!conversation) throw new AppError("not_found", "Conversation not found.");
  const settings = await loadConsentKeywordSettings(deps.db);
  const language = chooseReplyLanguage(
    { ...conversation.contact, messageText: conversation.messages[0]?.text ?? null },
    deps.defaultLanguage,
  );
  const text = await composeConsentQuestion(deps.db, {
    purpose: input.purpose ?? settings.optInPurpose,
    language,
    optIn: settings.optIn,
  });
  return queueOutboundMessage(deps, {
    conversationId: input.conversationId,
    senderId: input.senderId,
    body: { type: "text", text, clientId: input.clientId },
  });
}
