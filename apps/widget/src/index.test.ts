import { describe, expect, it } from "vitest";
import { WEBCHAT_MAX_TEXT } from "@inbox/contracts";
import { buildWidget, WIDGET_GZIP_LIMIT_BYTES } from "./index";
import { MAX_TEXT, pickLanguage, TEXTS } from "../client/texts";

describe("widget build", () => {
  it("is one self-contained script under the size limit that requests nothing from third parties", async () => {
    const widget = await buildWidget();
    expect(widget.gzipBytes).toBeGreaterThan(1000);
    expect(widget.gzipBytes).toBeLessThanOrEqual(WIDGET_GZIP_LIMIT_BYTES);
    // No absolute URLs: every request goes to the origin the script was loaded from.
    expect(widget.code).not.toMatch(/https?:\/\/|\/\/[a-z0-9-]+\.[a-z]{2,}\//i);
    expect(widget.code).not.toMatch(/\bimport\s*\(|\brequire\(/);
  });

  it("German for German browsers, English otherwise; both languages have every text", () => {
    expect(pickLanguage(["de-DE", "en"])).toBe("de");
    expect(pickLanguage(["de"])).toBe("de");
    expect(pickLanguage(["en-GB", "de"])).toBe("en");
    expect(pickLanguage(["fr"])).toBe("en");
    expect(Object.keys(TEXTS.de).sort()).toEqual(Object.keys(TEXTS.en).sort());
    expect(Object.keys(TEXTS.de.errors).sort()).toEqual(Object.keys(TEXTS.en.errors).sort());
  });

  it("refuses the same text length as the server", () => {
    expect(MAX_TEXT).toBe(WEBCHAT_MAX_TEXT);
  });
});
