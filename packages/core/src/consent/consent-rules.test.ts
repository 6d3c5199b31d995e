import { describe, expect, it } from "vitest";
import { checkSend, isOptedOut, type ConsentState } from "./consent-rules";

const granted = (purpose: "service" | "marketing"): ConsentState => ({ purpose, status: "granted" });
const withdrawn = (purpose: "service" | "marketing"): ConsentState => ({ purpose, status: "withdrawn" });

describe("checkSend", () => {
  it("allows free text inside the window and refuses it outside", () => {
    expect(checkSend({ kind: "free_form", isWindowOpen: true, consents: [] })).toEqual({
      ok: true,
      businessInitiated: false,
    });
    expect(checkSend({ kind: "free_form", isWindowOpen: false, consents: [granted("service")] })).toMatchObject({
      ok: false,
      code: "window_closed",
    });
  });

  it("checks opt-out first", () => {
    expect(checkSend({ kind: "free_form", isWindowOpen: false, consents: [withdrawn("service")] })).toMatchObject({
      code: "opted_out",
    });
    expect(
      checkSend({
        kind: "template",
        templateCategory: "marketing",
        isWindowOpen: true,
        consents: [withdrawn("marketing")],
      }),
    ).toMatchObject({ code: "opted_out" });
  });

  it("a marketing opt-out does not block service replies", () => {
    expect(checkSend({ kind: "free_form", isWindowOpen: true, consents: [withdrawn("marketing")] })).toMatchObject({
      ok: true,
    });
  });

  it("needs consent for the template's purpose outside the window", () => {
    expect(
      checkSend({ kind: "template", templateCategory: "utility", isWindowOpen: false, consents: [] }),
    ).toMatchObject({
      code: "consent_missing",
    });
    expect(
      checkSend({ kind: "template", templateCategory: "utility", isWindowOpen: false, consents: [granted("service")] }),
    ).toEqual({ ok: true, businessInitiated: true });
    expect(
      checkSend({
        kind: "template",
        templateCategory: "marketing",
        isWindowOpen: false,
        consents: [granted("service")],
      }),
    ).toMatchObject({ code: "consent_missing" });
    expect(
      checkSend({
        kind: "template",
        templateCategory: "authentication",
        isWindowOpen: false,
        consents: [granted("service")],
      }),
    ).toMatchObject({ ok: true });
  });

  it("marketing templates need marketing consent even inside the window", () => {
    expect(
      checkSend({ kind: "template", templateCategory: "marketing", isWindowOpen: true, consents: [] }),
    ).toMatchObject({
      code: "consent_missing",
    });
  });

  it("always lets the opt-out confirmation through", () => {
    expect(
      checkSend({
        kind: "free_form",
        isWindowOpen: true,
        consents: [withdrawn("service")],
        isOptOutConfirmation: true,
      }),
    ).toMatchObject({ ok: true });
  });
});

describe("after STOP, a new message from the customer is their own request", () => {
  const stopAt = new Date("2026-12-01T10:00:00Z");
  const stopped: ConsentState[] = [
    { purpose: "service", status: "withdrawn", occurredAt: stopAt.toISOString() },
    { purpose: "marketing", status: "withdrawn", occurredAt: stopAt },
  ];
  const later = new Date(stopAt.getTime() + 60_000);

  it("the STOP message itself opens nothing: everything but the confirmation stays refused", () => {
    expect(isOptedOut(stopped, stopAt)).toBe(true);
    expect(
      checkSend({ kind: "free_form", isWindowOpen: true, consents: stopped, lastInboundAt: stopAt }),
    ).toMatchObject({ ok: false, code: "opted_out" });
  });

  it("a later message allows replies inside its window (text and utility templates), not marketing", () => {
    expect(isOptedOut(stopped, later)).toBe(false);
    expect(checkSend({ kind: "free_form", isWindowOpen: true, consents: stopped, lastInboundAt: later })).toEqual({
      ok: true,
      businessInitiated: false,
    });
    expect(
      checkSend({
        kind: "template",
        templateCategory: "utility",
        isWindowOpen: true,
        consents: stopped,
        lastInboundAt: later,
      }),
    ).toEqual({ ok: true, businessInitiated: false });
    expect(
      checkSend({
        kind: "template",
        templateCategory: "marketing",
        isWindowOpen: true,
        consents: stopped,
        lastInboundAt: later,
      }),
    ).toMatchObject({ ok: false, code: "opted_out" });
  });

  it("business-initiated messages stay refused after the window until a new opt-in", () => {
    for (const templateCategory of ["utility", "authentication", "marketing"] as const) {
      expect(
        checkSend({ kind: "template", templateCategory, isWindowOpen: false, consents: stopped, lastInboundAt: later }),
      ).toMatchObject({ ok: false, code: "opted_out" });
    }
    const optedInAgain: ConsentState[] = [{ purpose: "service", status: "granted", occurredAt: later }];
    expect(
      checkSend({
        kind: "template",
        templateCategory: "utility",
        isWindowOpen: false,
        consents: optedInAgain,
        lastInboundAt: later,
      }),
    ).toEqual({ ok: true, businessInitiated: true });
  });
});
