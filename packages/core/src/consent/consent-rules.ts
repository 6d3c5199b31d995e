/**
 * Who may receive what. Pure rules, used by the API before queuing and by the worker again before sending.
 *
 * - An opted-out contact (withdrawn marketing consent counts only for marketing; a withdrawn service consent
 *   — "STOP" to everything — counts for all) receives nothing but the opt-out confirmation. A later message from
 *   the customer is their own request: replies inside its window are allowed again (not marketing), while
 *   business-initiated messages stay refused until a new opt-in.
 * - Inside the 24 h window any message type may be sent.
 * - Outside it only an approved template, and a business-initiated template needs a current consent for its
 *   purpose: marketing templates need marketing consent, utility and authentication templates need the
 *   service consent the customer gave for notifications.
 */
export type ConsentPurpose = "service" | "marketing";
type TemplateCategory = "marketing" | "utility" | "authentication";

export interface ConsentState {
  purpose: ConsentPurpose;
  status: "granted" | "withdrawn";
  /** When the customer gave or withdrew it (a JSON string from SQL, or a Date). */
  occurredAt?: string | Date | undefined;
}

export type SendDecision =
  | { ok: true; businessInitiated: boolean }
  | { ok: false; code: "opted_out" | "window_closed" | "consent_missing"; reason: string };

export interface SendCheckInput {
  kind: "free_form" | "template";
  templateCategory?: TemplateCategory;
  isWindowOpen: boolean;
  /** Newest consent record per purpose. */
  consents: ConsentState[];
  /** The opt-out confirmation itself is always allowed. */
  isOptOutConfirmation?: boolean;
  /** Meta's timestamp of the customer's last message: one after an opt-out opens its window for replies. */
  lastInboundAt?: Date | null | undefined;
}

function purposeForTemplate(category: TemplateCategory): ConsentPurpose {
  return category === "marketing" ? "marketing" : "service";
}

function current(consents: ConsentState[], purpose: ConsentPurpose) {
  return consents.find((c) => c.purpose === purpose)?.status;
}

/** The customer wrote after withdrawing the service consent (their own request, not an opt-in). */
function hasWrittenSinceOptOut(consents: ConsentState[], lastInboundAt: Date | null | undefined): boolean {
  const service = consents.find((c) => c.purpose === "service");
  if (service?.status !== "withdrawn" || !service.occurredAt || !lastInboundAt) return false;
  return lastInboundAt.getTime() > new Date(service.occurredAt).getTime();
}

/**
 * The contact withdrew the service consent ("STOP" to everything) and has not written since: nothing but the
 * opt-out confirmation may go. Without `lastInboundAt` only the withdrawal counts.
 */
export function isOptedOut(consents: ConsentState[], lastInboundAt?: Date | null): boolean {
  return current(consents, "service") === "withdrawn" && !hasWrittenSinceOptOut(consents, lastInboundAt);
}

export function checkSend(input: SendCheckInput): SendDecision {
  if (input.isOptOutConfirmation) return { ok: true, businessInitiated: !input.isWindowOpen };
  const serviceWithdrawn = current(input.consents, "service") === "withdrawn";
  const marketingWithdrawn = current(input.consents, "marketing") === "withdrawn";
  const isMarketing = input.kind === "template" && input.templateCategory === "marketing";
  // After STOP the customer wrote again: a reply inside that window is theirs to ask for; nothing else.
  const isReplyAfterOptOut =
    serviceWithdrawn &&
    input.isWindowOpen &&
    !isMarketing &&
    hasWrittenSinceOptOut(input.consents, input.lastInboundAt);
  if ((serviceWithdrawn && !isReplyAfterOptOut) || (isMarketing && marketingWithdrawn)) {
    return {
      ok: false,
      code: "opted_out",
      reason: serviceWithdrawn
        ? "The contact has opted out of messages from this business. Nothing may be sent to them."
        : "The contact has opted out of marketing messages.",
    };
  }
  if (input.kind === "free_form") {
    if (input.isWindowOpen) return { ok: true, businessInitiated: false };
    return {
      ok: false,
      code: "window_closed",
      reason:
        "More than 24 hours have passed since the customer's last message. Only an approved template may be sent.",
    };
  }
  if (input.isWindowOpen && !isMarketing) return { ok: true, businessInitiated: false };
  const purpose = purposeForTemplate(input.templateCategory ?? "utility");
  if (current(input.consents, purpose) !== "granted") {
    return {
      ok: false,
      code: "consent_missing",
      reason:
        purpose === "marketing"
          ? "The contact has not opted in to marketing messages."
          : "The contact has not opted in to notifications (service consent) required for a business-initiated message.",
    };
  }
  return { ok: true, businessInitiated: !input.isWindowOpen };
}
