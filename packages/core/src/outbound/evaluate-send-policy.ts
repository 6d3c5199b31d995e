import type { DbTx, Template } from "@inbox/db";
import { checkSend, isOptedOut, type ConsentState, type SendDecision } from "../consent/consent-rules";
import { findCurrentConsents } from "../consent/current-consents";
import { isWindowOpen } from "../conversations/window";
import { AppError } from "../errors/app-error";
import type { ChannelCapabilities } from "../channels/channel-adapter";
import { findChannelCapabilities } from "../channels/channel-registry";
import { findSendableTemplate } from "./find-sendable-template";

export interface SendPolicyInput {
  channelId: string;
  contactId: string;
  lastInboundAt: Date | null;
  now: Date;
  kind: "free_form" | "template";
  template?: { name: string; language: string } | undefined;
  isOptOutConfirmation?: boolean | undefined;
  /** The contact's current consents when the caller already loaded them (the worker's claim statement embeds the
   *  same query, `currentConsentsSql`). */
  consents?: ConsentState[] | undefined;
  /** The channel's capabilities when the caller knows them; otherwise read from the channel's type. */
  capabilities?: ChannelCapabilities | undefined;
}

/**
 * The one place the send rules meet the stored state: opted-out first, then the 24 h window, then consent for
 * the template's category (from the synced Template table). Used before queuing and again by the worker.
 * The channel's capabilities decide whether a window applies at all and whether templates exist.
 */
export async function evaluateSendPolicy(
  db: DbTx,
  input: SendPolicyInput,
): Promise<{ decision: SendDecision; template: Template | null }> {
  const capabilities = input.capabilities ?? (await findChannelCapabilities(db, input.channelId));
  if (input.kind === "template" && !capabilities.supportsTemplates) {
    throw new AppError("unsupported_by_channel", "This channel has no templates: write a normal message.");
  }
  const consents = input.consents ?? (await findCurrentConsents(db, input.contactId));
  const isOpen = capabilities.hasServiceWindow
    ? isWindowOpen(input.lastInboundAt, input.now, capabilities.serviceWindowMs ?? undefined)
    : true;
  if (isOptedOut(consents, input.lastInboundAt) && !input.isOptOutConfirmation) {
    // Opted out (and not written since) is answered before anything else, even before an unknown template.
    return { decision: checkSend({ kind: input.kind, isWindowOpen: isOpen, consents }), template: null };
  }
  const template =
    input.kind === "template" && input.template
      ? await findSendableTemplate(db, input.channelId, input.template.name, input.template.language)
      : null;
  const decision = checkSend({
    kind: input.kind,
    templateCategory: template?.category,
    isWindowOpen: isOpen,
    consents,
    isOptOutConfirmation: input.isOptOutConfirmation ?? false,
    lastInboundAt: input.lastInboundAt,
  });
  return { decision, template };
}
