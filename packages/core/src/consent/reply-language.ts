import type { CustomerLanguage } from "@inbox/contracts";

/**
 * The one language an automatic reply to a customer is written in (greeting, away text, consent question, opt-in
 * and opt-out confirmations): never German and English glued together.
 */
export type ReplyLanguage = CustomerLanguage;

/**
 * An admin's text per customer language. `default` is a single text saved before texts were per language: the
 * migration kept it as the text of the default language (DEFAULT_CUSTOMER_LANGUAGE, known only when it is read).
 */
export type StoredReplyTexts = Partial<Record<ReplyLanguage | "default", string>>;

/** The admin's own text for one language (a kept single text counts as the default language's); null when unset. */
export function ownReplyText(
  texts: StoredReplyTexts | null | undefined,
  language: ReplyLanguage,
  defaultLanguage: ReplyLanguage,
): string | null {
  const own = texts?.[language]?.trim() || (language === defaultLanguage ? texts?.default?.trim() : undefined);
  return own || null;
}

/**
 * The admin's text for a customer: the one in their language, else the default language's; null when neither is
 * set (the caller then sends its built-in text in the customer's language, or nothing).
 */
export function pickReplyText(
  texts: StoredReplyTexts | null | undefined,
  language: ReplyLanguage,
  defaultLanguage: ReplyLanguage,
): string | null {
  return ownReplyText(texts, language, defaultLanguage) ?? ownReplyText(texts, defaultLanguage, defaultLanguage);
}

const GERMAN_SPEAKING_PREFIXES = ["49", "43", "41", "423"];
const GERMAN_SPEAKING_COUNTRIES = ["DE", "AT", "CH", "LI"];

/** A number or country of Germany, Austria, Switzerland or Liechtenstein. */
export function isGermanSpeakingContact(contact: {
  countryCode?: string | null | undefined;
  waId?: string | null | undefined;
}): boolean {
  if (contact.countryCode && GERMAN_SPEAKING_COUNTRIES.includes(contact.countryCode.toUpperCase())) return true;
  const digits = contact.waId?.replace(/^\+/, "");
  return !!digits && GERMAN_SPEAKING_PREFIXES.some((p) => digits.startsWith(p));
}

const GERMAN_WORDS = new Set(
  "ich du sie wir ihr und oder nicht ist bin sind hallo moin servus danke bitte guten tag morgen abend mein meine meinen ihre ihren ja nein wann wo wie warum was gibt kann können möchte möchten habe haben hätte noch schon mit für auf bei zum zur der die das den dem ein eine einen bestellung paket frage abmelden zustimmung".split(
    " ",
  ),
);
const ENGLISH_WORDS = new Set(
  "i you we they and or not is am are hello hi hey thanks thank please good morning evening my your yes no when where how why what can could would like have has had still already with for on at the a an order parcel question".split(
    " ",
  ),
);

/**
 * German or English when a message says so clearly (umlauts/ß, or more words of one language than of the other);
 * null for short or unclear texts ("ok", "👍", a number).
 */
export function detectMessageLanguage(text: string | null | undefined): ReplyLanguage | null {
  if (!text) return null;
  const lower = text.toLocaleLowerCase("de");
  const words = lower.match(/[\p{L}]+/gu) ?? [];
  let de = /[äöüß]/.test(lower) ? 2 : 0;
  let en = 0;
  for (const word of words) {
    if (GERMAN_WORDS.has(word)) de++;
    if (ENGLISH_WORDS.has(word)) en++;
  }
  if (de > en) return "de";
  if (en > de) return "en";
  return null;
}

export interface ReplyLanguageFacts {
  /** The customer's latest message, when the reply answers one. */
  messageText?: string | null | undefined;
  /** A language stored for the contact (set by an agent or a web chat visitor's browser). */
  locale?: string | null | undefined;
  countryCode?: string | null | undefined;
  waId?: string | null | undefined;
}

/**
 * The message's language when it is clear; else the contact's stored locale (German or English); else German for
 * numbers and countries of the German-speaking countries (+49, +43, +41, +423); else the configured default.
 */
export function chooseReplyLanguage(facts: ReplyLanguageFacts, defaultLanguage: ReplyLanguage): ReplyLanguage {
  const fromMessage = detectMessageLanguage(facts.messageText);
  if (fromMessage) return fromMessage;
  const locale = facts.locale?.trim().toLowerCase().slice(0, 2);
  if (locale === "de" || locale === "en") return locale;
  return isGermanSpeakingContact(facts) ? "de" : defaultLanguage;
}
