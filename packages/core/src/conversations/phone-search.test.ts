import { describe, expect, it } from "vitest";
import { phoneSearchDigits } from "./phone-search";
import { excerptAround } from "./list-conversations";

describe("phoneSearchDigits", () => {
  it("reads national German numbers as international digits", () => {
    expect(phoneSearchDigits("0151 1234 5678")).toEqual(["4915112345678", "15112345678"]);
    expect(phoneSearchDigits("0151/23")).toContain("15123");
  });
  it("keeps international forms", () => {
    expect(phoneSearchDigits("+49 151 1234")).toEqual(["491511234"]);
    expect(phoneSearchDigits("0049 151 1234")).toEqual(["491511234"]);
    expect(phoneSearchDigits("4915112")).toEqual(["4915112"]);
  });
  it("is no number search for words or fewer than three digits", () => {
    expect(phoneSearchDigits("Order 4711")).toEqual([]);
    expect(phoneSearchDigits("07")).toEqual([]);
  });
});

describe("excerptAround", () => {
  it("shows the text around the match, marking cuts", () => {
    const text = `${"a".repeat(200)} Paketnummer 4711 ${"b".repeat(200)}`;
    const excerpt = excerptAround(text, "paketnummer", 40);
    expect(excerpt).toContain("Paketnummer");
    expect(excerpt.startsWith("…") && excerpt.endsWith("…")).toBe(true);
    expect(excerptAround("kurz", "kurz")).toBe("kurz");
  });
});
