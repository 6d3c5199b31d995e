import { describe, expect, it } from "vitest";
import i18n from "i18next";
import { APP_ERROR_STATUS } from "@inbox/core";
import de from "../locales/de.json";
import en from "../locales/en.json";
import { describeApiError } from "./api-errors";
import { ApiError } from "./http";

describe("API errors in the console's languages", () => {
  it("every code the API can answer with has a German and an English text", () => {
    const codes = [...Object.keys(APP_ERROR_STATUS), "network"];
    const missing = codes.filter(
      (code) => !(en.errors as Record<string, string>)[code] || !(de.errors as Record<string, string>)[code],
    );
    expect(missing).toEqual([]);
  });

  it("the server's 'text too big' is shown in German, without a retry; a network error may be retried", async () => {
    await i18n.init({ lng: "de", resources: { de: { translation: de }, en: { translation: en } } });
    const tooBig = new ApiError(400, "validation_failed", "/text Too big: expected string to have <=4096 characters", {
      issues: [{ path: "/text", code: "too_big", maximum: 4096 }],
    });
    expect(describeApiError(tooBig, i18n.t)).toEqual({ text: "Zu lang: höchstens 4096 Zeichen.", canRetry: false });
    expect(describeApiError(new ApiError(409, "window_closed", "More than 24 hours…"), i18n.t)).toMatchObject({
      text: expect.stringMatching(/^Das 24-Std.-Fenster ist geschlossen/),
      canRetry: false,
    });
    expect(describeApiError(new ApiError(0, "network", "Network error"), i18n.t).canRetry).toBe(true);
    expect(describeApiError(new ApiError(418, "teapot", "I'm a teapot"), i18n.t).text).toBe(
      "Etwas ist schiefgelaufen.",
    );
  });
});
