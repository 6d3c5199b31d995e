import type { TemplateBlockCode } from "@inbox/contracts";
import type { Db } from "@inbox/db";
import { getChannelCapabilities } from "../channels/channel-registry";
import { checkSend, type ConsentState } from "../consent/consent-rules";
import { findCurrentConsents } from "../consent/current-consents";
import { isWindowOpen } from "../conversations/window";
import { AppError } from "../errors/app-error";
import { isUuid } from "../shared/ids";
import { listTemplates, type TemplateSummary } from "./list-templates";

export interface ConversationTemplate extends TemplateSummary {
  isSendable: boolean;
  blockedBy: TemplateBlockCode | null;
  reason: string | null;
}

/**
 * Whether one template may go to the contact now, by the send rules the API and the worker enforce (checkSend):
 * Meta must have approved it, then opt-out and consent for the template's purpose decide.
 */
function templateEligibility(
  template: Pick<TemplateSummary, "status" | "category" | "name">,
  state: { isWindowOpen: boolean; consents: ConsentState[]; lastInboundAt: Date | null },
): { isSendable: boolean; blockedBy: TemplateBlockCode | null; reason: string | null } {
  if (template.status !== "APPROVED") {
    return {
      isSendable: false,
      blockedBy: "template_not_approved",
      reason: `Template "${template.name}" is ${template.status.toLowerCase()} at Meta; only approved templates can be sent.`,
    };
  }
  const decision = checkSend({
    kind: "template",
    templateCategory: template.category,
    isWindowOpen: state.isWindowOpen,
    consents: state.consents,
    lastInboundAt: state.lastInboundAt,
  });
  if (decision.ok) return { isSendable: true, blockedBy: null, reason: null };
  // Templates are never refused for the window: what is left is opted_out or consent_missing.
  const blockedBy = decision.code === "opted_out" ? "opted_out" : "consent_missing";
  return { isSendable: false, blockedBy, reason: decision.reason };
}

/**
 * The picker's list for one conversation: every template of its channel Meta still lists (approved or not), each
 * with whether it may go to this contact now and why not. Web chat has no templates: an empty list.
 */
export async function listConversationTemplates(
  db: Db,
  input: { conversationId: string; now: Date },
): Promise<ConversationTemplate[]> {
  const conversation = isUuid(input.conversationId)
    ? await db.conversation.findUnique({
        where: { id: input.conversationId },
        select: { channelId: true, contactId: true, lastInboundAt: true, channel: { select: { type: true } } },
      })
    : null;
  if (!conversation) throw new AppError("not_found", "Conversation not found.");
  const capabilities = getChannelCapabilities(conversation.channel.type);
  if (!capabilities.supportsTemplates) return [];
  const [templates, consents] = await Promise.all([
    listTemplates(db, { channelId: conversation.channelId, includeUnapproved: true }),
    findCurrentConsents(db, conversation.contactId),
  ]);
  const open = capabilities.hasServiceWindow
    ? isWindowOpen(conversation.lastInboundAt, input.now, capabilities.serviceWindowMs ?? undefined)
    : true;
  return templates
    .filter((t) => t.status !== "DELETED")
    .map((t) => ({
      ...t,
      ...templateEligibility(t, { isWindowOpen: open, consents, lastInboundAt: conversation.lastInboundAt }),
    }));
}
