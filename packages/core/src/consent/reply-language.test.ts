import { describe, expect, it } from "vitest";
import { chooseReplyLanguage, detectMessageLanguage } from "./reply-language";

describe("detectMessageLanguage", () => {
  it("recognises clear German and English messages", () => {
    expect(detectMessageLanguage("Wo ist mein Paket?")).toBe("de");
    expect(detectMessageLanguage("Größe M")).toBe("de");
    expect(detectMessageLanguage("Where is my parcel, please?")).toBe("en");
    expect(detectMessageLanguage("Hi, thanks for the quick answer")).toBe("en");
  });

  it("gives no answer for short or unclear texts", () => {
    expect(detectMessageLanguage("ok")).toBeNull();
    expect(detectMessageLanguage("👍")).toBeNull();
    expect(detectMessageLanguage("4711")).toBeNull();
    expect(detectMessageLanguage("")).toBeNull();
    // The international keywords say nothing about the language.
    expect(detectMessageLanguage("STOP")).toBeNull();
    expect(detectMessageLanguage("START")).toBeNull();
    expect(detectMessageLanguage(null)).toBeNull();
  });
});

describe("chooseReplyLanguage", () => {
  it("follows the language of the customer's message before the number's country", () => {
    expect(chooseReplyLanguage({ messageText: "Where is my order?", waId: "4915112345678" }, "de")).toBe("en");
    expect(chooseReplyLanguage({ messageText: "Wo ist meine Bestellung?", waId: "447700900123" }, "en")).toBe("de");
  });

  it("answers the opt-in keywords in their language", () => {
    expect(chooseReplyLanguage({ messageText: "JA", waId: "447700900123" }, "en")).toBe("de");
    expect(chooseReplyLanguage({ messageText: "YES", waId: "4915112345678" }, "de")).toBe("en");
    expect(chooseReplyLanguage({ messageText: "STOP", waId: "4915112345678" }, "en")).toBe("de");
  });

  it("uses the stored locale next", () => {
    expect(chooseReplyLanguage({ messageText: "ok", locale: "en-GB", waId: "4915112345678" }, "de")).toBe("en");
    expect(chooseReplyLanguage({ locale: "de_AT", waId: "447700900123" }, "en")).toBe("de");
  });

  it("answers +49, +43, +41 (and Liechtenstein) numbers in German", () => {
    for (const waId of ["4915112345678", "+436641234567", "41791234567", "4237912345"]) {
      expect(chooseReplyLanguage({ waId }, "en")).toBe("de");
    }
    expect(chooseReplyLanguage({ countryCode: "at" }, "en")).toBe("de");
  });

  it("falls back to the configured default for other numbers and for unknown customers", () => {
    expect(chooseReplyLanguage({ waId: "447700900123" }, "en")).toBe("en");
    expect(chooseReplyLanguage({ waId: "33612345678" }, "de")).toBe("de");
    expect(chooseReplyLanguage({ locale: "fr", waId: null }, "en")).toBe("en");
    expect(chooseReplyLanguage({}, "de")).toBe("de");
  });
});
