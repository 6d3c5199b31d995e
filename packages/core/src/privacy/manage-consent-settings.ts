import { CUSTOMER_LANGUAGES, type ConsentSettings, type ConsentSettingsView, type ReplyTexts } from "@inbox/contracts";
import type { Db, Prisma } from "@inbox/db";
import { recordAudit, type Actor } from "../audit/record-audit";
import { AppError } from "../errors/app-error";
import {
  CONSENT_SETTING_KEYS,
  DEFAULT_CONFIRMATIONS,
  loadConsentKeywordSettings,
  normalizeKeyword,
} from "../consent/consent-keywords";
import { ownReplyText, type ReplyLanguage, type StoredReplyTexts } from "../consent/reply-language";

/** The admin's own text per language ("" where unset); a single text kept from before shows as the default's. */
function ownTexts(texts: StoredReplyTexts, defaultLanguage: ReplyLanguage): ReplyTexts {
  return Object.fromEntries(
    CUSTOMER_LANGUAGES.map((language) => [language, ownReplyText(texts, language, defaultLanguage) ?? ""]),
  ) as ReplyTexts;
}

/** What is stored: the languages with a text; null when none has one (the setting is removed). */
function storedTexts(texts: ReplyTexts): Prisma.InputJsonValue | null {
  const set = Object.entries(texts).filter(([, text]) => text.trim());
  return set.length ? Object.fromEntries(set.map(([language, text]) => [language, text.trim()])) : null;
}

/**
 * The opt-in / opt-out keywords and the confirmation texts per customer language, with the default language their
 * unset texts fall back to and the built-in texts customers get while nothing is set.
 */
export async function getConsentSettings(db: Db, defaultLanguage: ReplyLanguage): Promise<ConsentSettingsView> {
  const s = await loadConsentKeywordSettings(db);
  return {
    optInKeywords: s.optIn,
    optOutKeywords: s.optOut,
    optInPurpose: s.optInPurpose,
    optInConfirmation: ownTexts(s.optInConfirmation, defaultLanguage),
    optOutConfirmation: ownTexts(s.optOutConfirmation, defaultLanguage),
    defaultLanguage,
    builtInConfirmations: { optIn: DEFAULT_CONFIRMATIONS.opt_in, optOut: DEFAULT_CONFIRMATIONS.opt_out },
  };
}

/**
 * Admins change the keywords and the confirmation texts (one per customer language; an empty one is unset). A
 * keyword may not be both opt-in and opt-out (compared as the receiver compares them: case, accents and ß folded).
 * Receivers pick the change up within their cache's 10 s.
 */
export async function saveConsentSettings(
  db: Db,
  actor: Actor,
  body: ConsentSettings,
  defaultLanguage: ReplyLanguage,
): Promise<ConsentSettingsView> {
  const optOut = new Set(body.optOutKeywords.map(normalizeKeyword));
  const both = body.optInKeywords.filter((k) => optOut.has(normalizeKeyword(k)));
  if (both.length) {
    throw new AppError("validation_failed", `A keyword cannot both opt in and opt out: ${both.join(", ")}.`);
  }
  await db.$transaction(async (tx) => {
    const before = await loadConsentKeywordSettings(tx);
    const values: [string, Prisma.InputJsonValue | null][] = [
      [CONSENT_SETTING_KEYS.optInKeywords, body.optInKeywords],
      [CONSENT_SETTING_KEYS.optOutKeywords, body.optOutKeywords],
      [CONSENT_SETTING_KEYS.optInPurpose, body.optInPurpose],
      [CONSENT_SETTING_KEYS.optInConfirmation, storedTexts(body.optInConfirmation)],
      [CONSENT_SETTING_KEYS.optOutConfirmation, storedTexts(body.optOutConfirmation)],
    ];
    for (const [key, value] of values) {
      if (value === null) await tx.setting.deleteMany({ where: { key } });
      else await tx.setting.upsert({ where: { key }, create: { key, value }, update: { value } });
    }
    const changed = (stored: StoredReplyTexts, texts: ReplyTexts) =>
      CUSTOMER_LANGUAGES.filter(
        (language) => (ownReplyText(stored, language, defaultLanguage) ?? "") !== texts[language].trim(),
      );
    await recordAudit(tx, actor, "setting.updated", "setting", "consent", {
      before: { optIn: before.optIn, optOut: before.optOut, optInPurpose: before.optInPurpose },
      after: { optIn: body.optInKeywords, optOut: body.optOutKeywords, optInPurpose: body.optInPurpose },
      // Which languages' texts changed (the texts themselves are in the settings).
      textsChanged: {
        optIn: changed(before.optInConfirmation, body.optInConfirmation),
        optOut: changed(before.optOutConfirmation, body.optOutConfirmation),
      },
    });
  });
  return getConsentSettings(db, defaultLanguage);
}
