import { franc } from "franc-min";
import { parsePhoneNumberFromString } from "libphonenumber-js";

/** Languages the product writes automatic replies in (texts exist for each). */
export const REPLY_LANGUAGES = ["de", "en"] as const;
export type ReplyLanguage = (typeof REPLY_LANGUAGES)[number];

export function isReplyLanguage(value: unknown): value is ReplyLanguage {
  return typeof value === "string" && (REPLY_LANGUAGES as readonly string[]).includes(value);
}

/** ISO 639-3 codes franc answers with, for the reply languages. */
const FRANC_CODES: Record<string, ReplyLanguage> = { deu: "de", eng: "en" };
/** Shorter texts ("JA", "Hallo") say too little about their language; the number decides then. */
const MIN_DETECTABLE_LENGTH = 16;

/** Countries where a reply language is the language of everyday business (others fall back to the default). */
const REGION_LANGUAGE: Record<string, ReplyLanguage> = {
  DE: "de",
  AT: "de",
  CH: "de",
  LI: "de",
  LU: "de",
  GB: "en",
  IE: "en",
  GG: "en",
  JE: "en",
  IM: "en",
  US: "en",
  CA: "en",
  AU: "en",
  NZ: "en",
  ZA: "en",
  IN: "en",
  SG: "en",
  MT: "en",
};

export interface CustomerLanguageInput {
  /** The customer's recent text messages, newest first. */
  texts: readonly string[];
  /** Phone number digits (WhatsApp's wa_id), if known. */
  waId: string | null;
  /** ISO country of the customer as Meta reports it (profile `country_code`), if known. */
  countryCode: string | null;
  /** A language stored for the contact (an agent's choice), if any. */
  locale: string | null;
  /** The configured default when nothing else tells. */
  fallback: ReplyLanguage;
}

/**
 * The language to write to a customer in: the language of what they wrote (when the text is long enough to tell),
 * else a language set for the contact, else the language of their number's country, else the configured default.
 */
export function chooseCustomerLanguage(input: CustomerLanguageInput): ReplyLanguage {
  const text = input.texts.join("\n").trim();
  if (text.length >= MIN_DETECTABLE_LENGTH) {
    const detected = FRANC_CODES[franc(text, { only: Object.keys(FRANC_CODES), minLength: MIN_DETECTABLE_LENGTH })];
    if (detected) return detected;
  }
  const locale = input.locale?.slice(0, 2).toLowerCase();
  if (isReplyLanguage(locale)) return locale;
  const region = input.countryCode?.toUpperCase() ?? regionOfNumber(input.waId);
  return (region ? REGION_LANGUAGE[region] : undefined) ?? input.fallback;
}

function regionOfNumber(waId: string | null): string | undefined {
  if (!waId) return undefined;
  return parsePhoneNumberFromString(`+${waId.replace(/^\+/, "")}`)?.country;
}
