import type { ConsentSettings } from "@inbox/contracts";
import type { Db, Prisma } from "@inbox/db";
import { recordAudit, type Actor } from "../audit/record-audit";
import { AppError } from "../errors/app-error";
import {
  CONSENT_SETTING_KEYS,
  DEFAULT_CONFIRMATIONS,
  loadConsentKeywordSettings,
  normalizeKeyword,
} from "../consent/consent-keywords";

/** A confirmation equal to a default text is not the admin's own: it stays unset (localized per customer). */
function isDefaultConfirmation(field: keyof ConsentSettings, value: unknown): boolean {
  const kind = field === "optInConfirmation" ? "opt_in" : field === "optOutConfirmation" ? "opt_out" : null;
  return !!kind && typeof value === "string" && Object.values(DEFAULT_CONFIRMATIONS[kind]).includes(value.trim());
}

const KEYS: Record<keyof ConsentSettings, string> = {
  optInKeywords: CONSENT_SETTING_KEYS.optInKeywords,
  optOutKeywords: CONSENT_SETTING_KEYS.optOutKeywords,
  optInPurpose: CONSENT_SETTING_KEYS.optInPurpose,
  optInConfirmation: CONSENT_SETTING_KEYS.optInConfirmation,
  optOutConfirmation: CONSENT_SETTING_KEYS.optOutConfirmation,
};

/** The opt-in / opt-out keywords and confirmation texts in force (the defaults where nothing is set). */
export async function getConsentSettings(db: Db): Promise<ConsentSettings> {
  const s = await loadConsentKeywordSettings(db);
  return {
    optInKeywords: s.optIn,
    optOutKeywords: s.optOut,
    optInPurpose: s.optInPurpose,
    // Unset texts show the German default; saved unchanged they stay unset, so customers keep getting theirs.
    optInConfirmation: s.optInConfirmation ?? DEFAULT_CONFIRMATIONS.opt_in.de,
    optOutConfirmation: s.optOutConfirmation ?? DEFAULT_CONFIRMATIONS.opt_out.de,
  };
}

/**
 * Admins change the keywords and confirmation texts. A keyword may not be both opt-in and opt-out (compared as the
 * receiver compares them: case, accents and ß folded). Receivers pick the change up within their cache's 10 s.
 */
export async function saveConsentSettings(db: Db, actor: Actor, body: ConsentSettings): Promise<ConsentSettings> {
  const optOut = new Set(body.optOutKeywords.map(normalizeKeyword));
  const both = body.optInKeywords.filter((k) => optOut.has(normalizeKeyword(k)));
  if (both.length) {
    throw new AppError("validation_failed", `A keyword cannot both opt in and opt out: ${both.join(", ")}.`);
  }
  await db.$transaction(async (tx) => {
    const before = await loadConsentKeywordSettings(tx);
    for (const [field, key] of Object.entries(KEYS) as [keyof ConsentSettings, string][]) {
      const value = body[field] as Prisma.InputJsonValue;
      if (isDefaultConfirmation(field, value)) {
        await tx.setting.deleteMany({ where: { key } });
        continue;
      }
      await tx.setting.upsert({ where: { key }, create: { key, value }, update: { value } });
    }
    await recordAudit(tx, actor, "setting.updated", "setting", "consent", {
      before: { optIn: before.optIn, optOut: before.optOut, optInPurpose: before.optInPurpose },
      after: { optIn: body.optInKeywords, optOut: body.optOutKeywords, optInPurpose: body.optInPurpose },
      textsChanged:
        before.optInConfirmation !== body.optInConfirmation || before.optOutConfirmation !== body.optOutConfirmation,
    });
  });
  return getConsentSettings(db);
}
