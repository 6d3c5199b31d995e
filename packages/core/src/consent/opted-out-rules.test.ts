import { describe, expect, it } from "vitest";
import { checkSend, isOptedOutOf, type ConsentState } from "./consent-rules";

/** CONTRACT `opted_out`: after STOP a new customer message is their own request. */
describe("after STOP, the customer writing again", () => {
  const stopAt = new Date("2026-12-01T10:00:00Z");
  const stopped: ConsentState[] = [
    { purpose: "service", status: "withdrawn", occurredAt: stopAt },
    { purpose: "marketing", status: "withdrawn", occurredAt: stopAt },
  ];
  const later = new Date("2026-12-01T12:00:00Z");

  it("before they write again: opted_out for everything", () => {
    expect(isOptedOutOf(stopped, "service", stopAt)).toBe(true);
    expect(
      checkSend({ kind: "free_form", isWindowOpen: true, consents: stopped, lastInboundAt: stopAt }),
    ).toMatchObject({
      ok: false,
      code: "opted_out",
    });
  });

  it("a later message opens its window for replies (text and non-marketing templates)", () => {
    expect(isOptedOutOf(stopped, "service", later)).toBe(false);
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
  });

  it("business-initiated stays refused until a new opt-in (consent_missing, no longer opted_out)", () => {
    expect(
      checkSend({ kind: "free_form", isWindowOpen: false, consents: stopped, lastInboundAt: later }),
    ).toMatchObject({
      code: "window_closed",
    });
    for (const templateCategory of ["utility", "marketing"] as const)
      expect(
        checkSend({ kind: "template", templateCategory, isWindowOpen: false, consents: stopped, lastInboundAt: later }),
      ).toMatchObject({ ok: false, code: "consent_missing" });
    const optedInAgain: ConsentState[] = [
      { purpose: "service", status: "granted", occurredAt: later },
      { purpose: "marketing", status: "withdrawn", occurredAt: stopAt },
    ];
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

  it("records without a time (older callers) keep counting as a standing opt-out", () => {
    expect(isOptedOutOf([{ purpose: "service", status: "withdrawn" }], "service", later)).toBe(true);
  });
});
