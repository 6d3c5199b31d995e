import type { ConversationTemplateDto } from "@inbox/contracts";
import type { DbTx } from "@inbox/db";
import { checkSend } from "../consent/consent-rules";
import { isWindowOpen } from "../conversations/window";
import { AppError } from "../errors/app-error";
import { findCurrentConsents } from "./find-current-consents";
import { APPROVED } from "./find-sendable-template";

/**
 * The approved templates of the conversation's channel, each with whether this contact may receive it now and,
 * when not, why (opted_out, consent_missing): the picker shows the reason instead of letting the agent find out
 * by a refused send. The same rules (checkSend) decide again when the template is queued and sent.
 */
export async function listConversationTemplates(
  db: DbTx,
  conversationId: string,
  now = new Date(),
): Promise<ConversationTemplateDto[]> {
  const conversation = await db.conversation.findUnique({
    where: { id: conversationId },
    select: { channelId: true, contactId: true, lastInboundAt: true },
  });
  if (!conversation) throw new AppError("not_found", "Conversation not found.");
  const [templates, consents] = await Promise.all([
    db.template.findMany({
      where: { channelId: conversation.channelId, status: APPROVED },
      orderBy: [{ name: "asc" }, { language: "asc" }],
    }),
    findCurrentConsents(db, conversation.contactId),
  ]);
  const isOpen = isWindowOpen(conversation.lastInboundAt, now);
  return templates.map((t) => {
    const decision = checkSend({
      kind: "template",
      templateCategory: t.category,
      isWindowOpen: isOpen,
      consents,
      lastInboundAt: conversation.lastInboundAt,
    });
    return {
      id: t.id,
      channelId: t.channelId,
      name: t.name,
      language: t.language,
      category: t.category,
      status: t.status,
      parameterCount: t.parameterCount,
      components: Array.isArray(t.components) ? (t.components as Record<string, unknown>[]) : [],
      syncedAt: t.syncedAt.toISOString(),
      isSendable: decision.ok,
      blockedBy: decision.ok ? null : decision.code,
      isBusinessInitiated: decision.ok ? decision.businessInitiated : !isOpen,
    };
  });
}
