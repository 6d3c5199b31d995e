import { describe, expect, it } from "vitest";
import { chooseCustomerLanguage } from "./choose-customer-language";

const base = { texts: [], waId: null, countryCode: null, locale: null, fallback: "de" as const };

describe("chooseCustomerLanguage", () => {
  it("the language of what the customer wrote wins over the number", () => {
    expect(
      chooseCustomerLanguage({
        ...base,
        texts: ["Hello, where is my parcel? It was due yesterday."],
        waId: "4915112345678",
      }),
    ).toBe("en");
    expect(
      chooseCustomerLanguage({
        ...base,
        texts: ["Guten Tag, wo bleibt meine Bestellung von gestern?"],
        waId: "447400123456",
      }),
    ).toBe("de");
  });

  it("short texts do not decide: the number's country does (+44 English, +43 German)", () => {
    expect(chooseCustomerLanguage({ ...base, texts: ["JA"], waId: "447400123456" })).toBe("en");
    expect(chooseCustomerLanguage({ ...base, texts: ["STOP"], waId: "436641234567" })).toBe("de");
    expect(chooseCustomerLanguage({ ...base, countryCode: "us" })).toBe("en");
  });

  it("a language set for the contact comes before the country; unknown countries get the configured default", () => {
    expect(chooseCustomerLanguage({ ...base, locale: "en_GB", waId: "4915112345678" })).toBe("en");
    expect(chooseCustomerLanguage({ ...base, waId: "33612345678", fallback: "en" })).toBe("en");
    expect(chooseCustomerLanguage({ ...base, waId: "33612345678", fallback: "de" })).toBe("de");
  });
});
