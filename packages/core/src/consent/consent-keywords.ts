import type { DbTx } from "@inbox/db";
import { z } from "zod";

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
const DEFAULT_OPT_IN_CONFIRMATION =
  "Danke! Sie erhalten ab jetzt Nachrichten von uns. Mit STOP können Sie jederzeit widerrufen. / Thank you! You will now receive messages from us. Reply STOP to opt out at any time.";
const DEFAULT_OPT_OUT_CONFIRMATION =
  "Sie erhalten keine Nachrichten mehr von uns. Mit START melden Sie sich wieder an. / You will no longer receive messages from us. Reply START to opt in again.";

export interface ConsentKeywordSettings {
  optIn: string[];
  optOut: string[];
  /** Purpose an opt-in keyword grants (marketing by default: "JA" answers a newsletter question). */
  optInPurpose: "service" | "marketing";
  optInConfirmation: string;
  optOutConfirmation: string;
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
  if (settings.optOut.some((k) => normalizeKeyword(k) === normalized)) return "opt_out";
  if (settings.optIn.some((k) => normalizeKeyword(k) === normalized)) return "opt_in";
  return null;
}

/** Reads the keyword settings, falling back to the defaults for keys that are unset or invalid. */
export async function loadConsentKeywordSettings(db: DbTx): Promise<ConsentKeywordSettings> {
  const rows = await db.setting.findMany({ where: { key: { in: Object.values(CONSENT_SETTING_KEYS) } } });
  const value = (key: string) => rows.find((r) => r.key === key)?.value;
  const list = (key: string, fallback: string[]) => {
    const parsed = KeywordListSchema.safeParse(value(key));
    return parsed.success ? parsed.data : fallback;
  };
  const text = (key: string, fallback: string) => {
    const parsed = z.string().trim().min(1).max(4096).safeParse(value(key));
    return parsed.success ? parsed.data : fallback;
  };
  const purpose = z.enum(["service", "marketing"]).safeParse(value(CONSENT_SETTING_KEYS.optInPurpose));
  return {
    optIn: list(CONSENT_SETTING_KEYS.optInKeywords, DEFAULT_OPT_IN_KEYWORDS),
    optOut: list(CONSENT_SETTING_KEYS.optOutKeywords, DEFAULT_OPT_OUT_KEYWORDS),
    optInPurpose: purpose.success ? purpose.data : "marketing",
    optInConfirmation: text(CONSENT_SETTING_KEYS.optInConfirmation, DEFAULT_OPT_IN_CONFIRMATION),
    optOutConfirmation: text(CONSENT_SETTING_KEYS.optOutConfirmation, DEFAULT_OPT_OUT_CONFIRMATION),
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
