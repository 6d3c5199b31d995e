import { describe, expect, it } from "vitest";
import {
  DEFAULT_OPT_IN_KEYWORDS,
  DEFAULT_OPT_OUT_KEYWORDS,
  matchConsentKeyword,
  normalizeKeyword,
} from "./consent-keywords";

const settings = { optIn: DEFAULT_OPT_IN_KEYWORDS, optOut: DEFAULT_OPT_OUT_KEYWORDS };

describe("consent keywords", () => {
  it("match whole messages, case- and accent-insensitive, German and English", () => {
    for (const t of ["STOP", "stop", " Stop! ", "Stopp.", "abmelden", "WIDERRUF", "Unsubscribe"])
      expect(matchConsentKeyword(t, settings)).toBe("opt_out");
    for (const t of ["ja", "Ja!", "zustimmung", "ZUSTÍMMUNG", "start", "Yes"])
      expect(matchConsentKeyword(t, settings)).toBe("opt_in");
    for (const t of ["please stop calling me at night", "jahr", "", null])
      expect(matchConsentKeyword(t, settings)).toBeNull();
  });
  it("normalises umlauts, sharp s and punctuation", () => {
    expect(normalizeKeyword("Ümläut")).toBe("umlaut");
    expect(normalizeKeyword("Grüße!!")).toBe("grusse");
  });
});
