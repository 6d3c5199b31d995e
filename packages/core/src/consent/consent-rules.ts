/**
 * Who may receive what. Pure rules, used by the API before queuing and by the worker again before sending.
 *
 * - An opted-out contact (withdrawn marketing consent counts only for marketing; a withdrawn service consent
 *   — "STOP" to everything — counts for all) receives nothing but the opt-out confirmation.
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
}

function purposeForTemplate(category: TemplateCategory): ConsentPurpose {
  return category === "marketing" ? "marketing" : "service";
}

function current(consents: ConsentState[], purpose: ConsentPurpose) {
  return consents.find((c) => c.purpose === purpose)?.status;
}

/** The contact withdrew the service consent ("STOP" to everything): nothing but the opt-out confirmation may go. */
export function isOptedOut(consents: ConsentState[]): boolean {
  return current(consents, "service") === "withdrawn";
}

export function checkSend(input: SendCheckInput): SendDecision {
  if (input.isOptOutConfirmation) return { ok: true, businessInitiated: !input.isWindowOpen };
  const serviceWithdrawn = isOptedOut(input.consents);
  const marketingWithdrawn = current(input.consents, "marketing") === "withdrawn";
  const isMarketing = input.kind === "template" && input.templateCategory === "marketing";
  if (serviceWithdrawn || (isMarketing && marketingWithdrawn)) {
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
