import type { DbTx } from "@inbox/db";
import { AppError } from "../../errors/app-error";

export type WidgetLanguage = "de" | "en";

/** The wording a web chat shows until admins configure their own (stored as ConsentText version 1). */
const DEFAULT_WEBCHAT_CONSENT_TEXT: Record<WidgetLanguage, string> = {
  de: "Ich bin einverstanden, dass meine Nachrichten und Angaben in diesem Chat gespeichert und zur Bearbeitung meiner Anfrage verwendet werden. Die Einwilligung kann ich jederzeit widerrufen.",
  en: "I agree that my messages and details in this chat are stored and used to handle my request. I can withdraw this consent at any time.",
};

export interface ConsentWording {
  language: WidgetLanguage;
  version: number;
  text: string;
}

/** Makes sure a service-consent wording exists in German and English (version 1 with the default text). */
export async function ensureWebchatConsentTexts(tx: DbTx): Promise<void> {
  for (const language of ["de", "en"] as const) {
    const existing = await tx.consentText.findFirst({ where: { purpose: "service", language, isActive: true } });
    if (existing) continue;
    await tx.consentText.createMany({
      data: [{ purpose: "service", language, version: 1, text: DEFAULT_WEBCHAT_CONSENT_TEXT[language] }],
      skipDuplicates: true,
    });
  }
}

/** The current (newest active) service-consent wording in the visitor's language. */
export async function findConsentWording(tx: DbTx, language: WidgetLanguage): Promise<ConsentWording> {
  const row = await tx.consentText.findFirst({
    where: { purpose: "service", language, isActive: true },
    orderBy: { version: "desc" },
  });
  if (row) return { language, version: row.version, text: row.text };
  await ensureWebchatConsentTexts(tx);
  return findConsentWording(tx, language);
}

/** The current wording, which must be the one the visitor was shown (else 409 consent_text_changed with the new one). */
export async function findShownConsentWording(
  tx: DbTx,
  language: WidgetLanguage,
  shownVersion: number,
): Promise<ConsentWording> {
  const wording = await findConsentWording(tx, language);
  if (wording.version !== shownVersion) {
    throw new AppError("consent_text_changed", "The consent text has changed. Please read it again and confirm.", {
      wording,
    });
  }
  return wording;
}
