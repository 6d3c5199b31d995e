import { customerLanguageOf, loadAutoReplySettings } from "../consent/auto-reply-texts";
import { isAppError } from "../errors/app-error";
import { queueOutboundMessage, type QueueOutboundMessageDeps } from "../outbound/queue-outbound-message";

/**
 * The configured greeting for a new conversation, in the customer's language, as an automatic outbound message
 * (`senderId` null). Nothing when no greeting is configured, and nothing when the rules refuse it (the first
 * message was "STOP"). Idempotent per conversation: a retried job finds the greeting it queued before.
 */
export async function queueGreeting(deps: QueueOutboundMessageDeps, conversationId: string): Promise<string | null> {
  const settings = await loadAutoReplySettings(deps.db);
  if (!settings.greeting) return null;
  const language = await customerLanguageOf(deps.db, conversationId, settings.defaultLanguage);
  try {
    const { message, isNew } = await queueOutboundMessage(deps, {
      conversationId,
      body: { type: "text", text: settings.greeting[language], clientId: `greeting-${conversationId}` },
      senderId: null,
      meta: { kind: "greeting", language },
    });
    return isNew ? message.id : null;
  } catch (error) {
    if (isAppError(error) && ["opted_out", "window_closed", "not_found"].includes(error.code)) return null;
    throw error;
  }
}
