import { describe, expect, it } from "vitest";
import { checkSend, type ConsentState } from "./consent-rules";

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
