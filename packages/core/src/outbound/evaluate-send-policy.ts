import type { DbTx, Template } from "@inbox/db";
import { checkSend, isOptedOutOf, type ConsentState, type SendDecision } from "../consent/consent-rules";
import { isWindowOpen } from "../conversations/window";
import { findCurrentConsents } from "./find-current-consents";
import { findSendableTemplate } from "./find-sendable-template";

export interface SendPolicyInput {
  channelId: string;
  contactId: string;
  lastInboundAt: Date | null;
  now: Date;
  kind: "free_form" | "template";
  template?: { name: string; language: string } | undefined;
  isOptOutConfirmation?: boolean | undefined;
  /** The contact's current consents when the caller already loaded them (the worker's claim statement does). */
  consents?: ConsentState[] | undefined;
}

/**
 * The one place the send rules meet the stored state: opted-out first, then the 24 h window, then consent for
 * the template's category (from the synced Template table). Used before queuing and again by the worker.
 */
export async function evaluateSendPolicy(
  db: DbTx,
  input: SendPolicyInput,
): Promise<{ decision: SendDecision; template: Template | null }> {
  const consents = input.consents ?? (await findCurrentConsents(db, input.contactId));
  const isOpen = isWindowOpen(input.lastInboundAt, input.now);
  const lastInboundAt = input.lastInboundAt;
  if (isOptedOutOf(consents, "service", lastInboundAt) && !input.isOptOutConfirmation) {
    // Opted out is answered before anything else, even before an unknown template.
    return { decision: checkSend({ kind: input.kind, isWindowOpen: isOpen, consents, lastInboundAt }), template: null };
  }
  const template =
    input.kind === "template" && input.template
      ? await findSendableTemplate(db, input.channelId, input.template.name, input.template.language)
      : null;
  const decision = checkSend({
    kind: input.kind,
    ...(template ? { templateCategory: template.category } : {}),
    isWindowOpen: isOpen,
    consents,
    isOptOutConfirmation: input.isOptOutConfirmation ?? false,
    lastInboundAt,
  });
  return { decision, template };
}
