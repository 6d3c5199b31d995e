import { describe, expect, it } from "vitest";
import { excerptAround, numberMatch, phoneSearchDigits } from "./search-terms";

describe("phoneSearchDigits", () => {
  it("reads national, international and 00 notations, ignoring spaces, dashes and brackets", () => {
    expect(phoneSearchDigits("0151 2345678")).toEqual(["01512345678", "1512345678"]);
    expect(phoneSearchDigits("0151-234 56 78")).toEqual(["01512345678", "1512345678"]);
    expect(phoneSearchDigits("+49 (151) 2345678")).toEqual(["491512345678"]);
    expect(phoneSearchDigits("0049 151 2345678")).toEqual(["00491512345678", "491512345678"]);
  });
  it("keeps digits inside words as they are and ignores short digit runs", () => {
    expect(phoneSearchDigits("Bestellung 04711")).toEqual(["04711"]);
    expect(phoneSearchDigits("01")).toEqual([]);
    expect(phoneSearchDigits("Erika")).toEqual([]);
  });
});

describe("numberMatch", () => {
  it("marks the digits that matched in the displayed number", () => {
    const m = numberMatch("491512345678", phoneSearchDigits("0151 2345678"))!;
    expect(m.text).toBe("+491512345678");
    expect(m.text.slice(m.start, m.end)).toBe("1512345678");
    expect(numberMatch("491512345678", ["999"])).toBeNull();
  });
});

describe("excerptAround", () => {
  it("cuts a long text around the match and says where the match is", () => {
    const text = `${"a".repeat(200)} Rückruf bitte morgen ${"b".repeat(200)}`;
    const m = excerptAround(text, "RÜCKRUF")!;
    expect(m.text.startsWith("…")).toBe(true);
    expect(m.text.endsWith("…")).toBe(true);
    expect(m.text.slice(m.start, m.end)).toBe("Rückruf");
    expect(m.text.length).toBeLessThan(130);
  });
  it("keeps a short text whole and returns null without a match", () => {
    const m = excerptAround("Kunde will\n\nRückruf", "rückruf")!;
    expect(m.text).toBe("Kunde will Rückruf");
    expect(m.text.slice(m.start, m.end)).toBe("Rückruf");
    expect(excerptAround("nothing here", "xyz")).toBeNull();
  });
});
