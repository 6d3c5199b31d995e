import { describe, expect, it } from "vitest";
import { chooseReplyLanguage, detectMessageLanguage, ownReplyText, pickReplyText } from "./reply-language";

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

describe("pickReplyText", () => {
  const texts = { de: "Hallo!", en: "  " };

  it("takes the customer's language, else the default language's, else nothing", () => {
    expect(pickReplyText(texts, "de", "en")).toBe("Hallo!");
    // English is empty (blank counts as empty): the default language's text.
    expect(pickReplyText(texts, "en", "de")).toBe("Hallo!");
    expect(pickReplyText(texts, "en", "en")).toBeNull();
    expect(pickReplyText({ en: "Hi!" }, "de", "en")).toBe("Hi!");
    expect(pickReplyText(null, "de", "en")).toBeNull();
  });

  it("reads a single text kept from before as the default language's", () => {
    const kept = { default: "Abgemeldet." };
    expect(ownReplyText(kept, "de", "de")).toBe("Abgemeldet.");
    expect(ownReplyText(kept, "en", "de")).toBeNull();
    expect(pickReplyText(kept, "en", "de")).toBe("Abgemeldet.");
    // A text written for the language wins over the kept one.
    expect(pickReplyText({ ...kept, de: "Neu." }, "de", "de")).toBe("Neu.");
  });
});
