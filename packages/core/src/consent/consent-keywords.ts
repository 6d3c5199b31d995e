import { CUSTOMER_LANGUAGES } from "@inbox/contracts";
import type { DbTx } from "@inbox/db";
import { z } from "zod";
import { pickReplyText, type ReplyLanguage, type StoredReplyTexts } from "./reply-language";

/** Setting keys (Setting table) an admin changes to configure chat keywords and confirmation texts. */
export const CONSENT_SETTING_KEYS = {
  optInKeywords: "consent.optInKeywords",
  optOutKeywords: "consent.optOutKeywords",
  optInPurpose: "consent.optInPurpose",
  optInConfirmation: "consent.optInConfirmationText",
  optOutConfirmation: "consent.optOutConfirmationText",
} as const;

export const DEFAULT_OPT_IN_KEYWORDS = ["JA", "Zustimmung", "START", "YES"];
export const DEFAULT_OPT_OUT_KEYWORDS = ["STOP", "Abmelden", "Widerruf", "STOPP", "UNSUBSCRIBE"];
/** The confirmations until admins write their own: one language each, chosen per customer (chooseReplyLanguage). */
export const DEFAULT_CONFIRMATIONS: Record<"opt_in" | "opt_out", Record<ReplyLanguage, string>> = {
  opt_in: {
    de: "Danke! Sie erhalten ab jetzt Nachrichten von uns. Mit STOP können Sie jederzeit widerrufen.",
    en: "Thank you! You will now receive messages from us. Reply STOP to opt out at any time.",
  },
  opt_out: {
    de: "Sie erhalten keine Nachrichten mehr von uns. Mit START melden Sie sich wieder an.",
    en: "You will no longer receive messages from us. Reply START to opt in again.",
  },
};

export interface ConsentKeywordSettings {
  optIn: string[];
  optOut: string[];
  /** Purpose an opt-in keyword grants (marketing by default: "JA" answers a newsletter question). */
  optInPurpose: "service" | "marketing";
  /** The admin's confirmation texts per customer language (empty while unset: DEFAULT_CONFIRMATIONS apply). */
  optInConfirmation: StoredReplyTexts;
  optOutConfirmation: StoredReplyTexts;
}

/**
 * The confirmation a customer receives after a keyword: the admin's text in their language, else the admin's text
 * in the default language (DEFAULT_CUSTOMER_LANGUAGE), else the built-in one in their language.
 */
export function confirmationText(
  settings: Pick<ConsentKeywordSettings, "optInConfirmation" | "optOutConfirmation">,
  kind: "opt_in" | "opt_out",
  language: ReplyLanguage,
  defaultLanguage: ReplyLanguage,
): string {
  const texts = kind === "opt_in" ? settings.optInConfirmation : settings.optOutConfirmation;
  return pickReplyText(texts, language, defaultLanguage) ?? DEFAULT_CONFIRMATIONS[kind][language];
}

const ReplyTextSchema = z.string().trim().min(1).max(4096);

/** Stored texts per language; a plain string (a single text from before) counts as the default language's. */
function parseReplyTexts(value: unknown): StoredReplyTexts {
  if (typeof value === "string") return ReplyTextSchema.safeParse(value).success ? { default: value.trim() } : {};
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  const texts: StoredReplyTexts = {};
  for (const key of [...CUSTOMER_LANGUAGES, "default"] as const) {
    const parsed = ReplyTextSchema.safeParse((value as Record<string, unknown>)[key]);
    if (parsed.success) texts[key] = parsed.data;
  }
  return texts;
}

const KeywordListSchema = z.array(z.string().trim().min(1).max(100)).max(100);

/**
 * Case- and accent-insensitive form for keyword matching: "  Stopp! " → "stopp", "Zustímmung" → "zustimmung",
 * "ß" → "ss". The whole message must equal a keyword; a sentence merely containing "stop" is not an opt-out.
 */
export function normalizeKeyword(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLocaleLowerCase("de")
    .replace(/ß/g, "ss")
    .replace(/[\s\p{P}\p{S}]+/gu, " ")
    .trim();
}

export type KeywordMatch = "opt_in" | "opt_out" | null;

/** Opt-out wins when a text matches both lists (withdrawing must always be possible). */
export function matchConsentKeyword(
  text: string | null | undefined,
  settings: Pick<ConsentKeywordSettings, "optIn" | "optOut">,
): KeywordMatch {
  if (!text || text.length > 200) return null;
  const normalized = normalizeKeyword(text);
  if (!normalized) return null;
  if (normalizedKeywords(settings.optOut).has(normalized)) return "opt_out";
  if (normalizedKeywords(settings.optIn).has(normalized)) return "opt_in";
  return null;
}

/**
 * A keyword list normalised once per list: every customer message is checked, and the settings cache hands out the
 * same lists until it reloads them (normalising each keyword for each message was a visible share of the receiver).
 */
const normalizedLists = new WeakMap<readonly string[], Set<string>>();
function normalizedKeywords(list: readonly string[]): Set<string> {
  let set = normalizedLists.get(list);
  if (!set) {
    set = new Set(list.map(normalizeKeyword));
    normalizedLists.set(list, set);
  }
  return set;
}

/** Reads the keyword settings, falling back to the defaults for keys that are unset or invalid. */
export async function loadConsentKeywordSettings(db: DbTx): Promise<ConsentKeywordSettings> {
  const rows = await db.setting.findMany({ where: { key: { in: Object.values(CONSENT_SETTING_KEYS) } } });
  const value = (key: string) => rows.find((r) => r.key === key)?.value;
  const list = (key: string, fallback: string[]) => {
    const parsed = KeywordListSchema.safeParse(value(key));
    return parsed.success ? parsed.data : fallback;
  };
  const purpose = z.enum(["service", "marketing"]).safeParse(value(CONSENT_SETTING_KEYS.optInPurpose));
  return {
    optIn: list(CONSENT_SETTING_KEYS.optInKeywords, DEFAULT_OPT_IN_KEYWORDS),
    optOut: list(CONSENT_SETTING_KEYS.optOutKeywords, DEFAULT_OPT_OUT_KEYWORDS),
    optInPurpose: purpose.success ? purpose.data : "marketing",
    optInConfirmation: parseReplyTexts(value(CONSENT_SETTING_KEYS.optInConfirmation)),
    optOutConfirmation: parseReplyTexts(value(CONSENT_SETTING_KEYS.optOutConfirmation)),
  };
}

/** Keyword settings cached for a few seconds: checked for every text message, changed rarely by an admin. */
export class ConsentKeywordCache {
  private cached: { settings: ConsentKeywordSettings; until: number } | undefined;

  constructor(private readonly ttlMs = 10_000) {}

  async get(db: DbTx): Promise<ConsentKeywordSettings> {
    if (this.cached && this.cached.until > Date.now()) return this.cached.settings;
    const settings = await loadConsentKeywordSettings(db);
    this.cached = { settings, until: Date.now() + this.ttlMs };
    return settings;
  }
}
