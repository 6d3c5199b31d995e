import type { AutoReplySettings, LocalizedText } from "@inbox/contracts";
import { LocalizedTextSchema } from "@inbox/contracts";
import type { DbTx } from "@inbox/db";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import { chooseCustomerLanguage, isReplyLanguage, type ReplyLanguage } from "../customers/choose-customer-language";
import { CONSENT_SETTING_KEYS, loadConsentKeywordSettings } from "../inbound/consent-keywords";

/** Setting keys of the automatic replies (the consent question lives in ConsentText, versioned). */
export const AUTO_REPLY_SETTING_KEYS = {
  defaultLanguage: "autoReply.defaultLanguage",
  greeting: "autoReply.greeting",
  optInConfirmation: "autoReply.optInConfirmation",
  optOutConfirmation: "autoReply.optOutConfirmation",
} as const;

export const DEFAULT_AUTO_REPLIES = {
  optInConfirmation: {
    de: "Danke! Sie erhalten ab jetzt Nachrichten von uns. Mit STOP können Sie jederzeit widerrufen.",
    en: "Thank you! You will now receive messages from us. Reply STOP to opt out at any time.",
  },
  optOutConfirmation: {
    de: "Sie erhalten keine Nachrichten mehr von uns. Mit START melden Sie sich wieder an.",
    en: "You will no longer receive messages from us. Reply START to opt in again.",
  },
  consentQuestion: {
    marketing: {
      de: "Dürfen wir Ihnen über WhatsApp Angebote und Neuigkeiten schicken? Antworten Sie mit JA, um zuzustimmen. Mit STOP können Sie jederzeit widerrufen.",
      en: "May we send you offers and news on WhatsApp? Reply YES to agree. Reply STOP to opt out at any time.",
    },
    service: {
      de: "Dürfen wir Sie über WhatsApp zu Ihren Anliegen benachrichtigen, auch nach Ablauf von 24 Stunden (z. B. Bestell- und Terminupdates)? Antworten Sie mit JA, um zuzustimmen. Mit STOP können Sie jederzeit widerrufen.",
      en: "May we notify you on WhatsApp about your requests, also after 24 hours (e.g. order and appointment updates)? Reply YES to agree. Reply STOP to opt out at any time.",
    },
  },
} as const;

type Purpose = "service" | "marketing";

/** The admins' consent question per purpose and language: the newest active ConsentText, else the default. */
export async function loadConsentQuestion(
  db: DbTx,
  purpose: Purpose,
): Promise<Record<ReplyLanguage, { text: string; version: number | null }>> {
  const rows = await db.consentText.findMany({
    where: { purpose, isActive: true },
    orderBy: { version: "desc" },
  });
  const pick = (language: ReplyLanguage) => {
    const row = rows.find((r) => r.language === language);
    return row
      ? { text: row.text, version: row.version }
      : { text: DEFAULT_AUTO_REPLIES.consentQuestion[purpose][language], version: null };
  };
  return { de: pick("de"), en: pick("en") };
}

export async function loadAutoReplySettings(db: DbTx): Promise<AutoReplySettings> {
  const rows = await db.setting.findMany({
    where: { key: { in: [...Object.values(AUTO_REPLY_SETTING_KEYS), ...Object.values(CONSENT_SETTING_KEYS)] } },
  });
  const value = (key: string) => rows.find((r) => r.key === key)?.value;
  const localized = (key: string, legacyKey: string, fallback: LocalizedText): LocalizedText => {
    const parsed = LocalizedTextSchema.safeParse(value(key));
    if (parsed.success) return parsed.data;
    // An older single text (one setting for every customer) still applies until an admin saves both languages.
    const legacy = z.string().trim().min(1).safeParse(value(legacyKey));
    return legacy.success ? { de: legacy.data, en: legacy.data } : fallback;
  };
  const keywords = await loadConsentKeywordSettings(db);
  const questions = {
    service: await loadConsentQuestion(db, "service"),
    marketing: await loadConsentQuestion(db, "marketing"),
  };
  const greeting = LocalizedTextSchema.safeParse(value(AUTO_REPLY_SETTING_KEYS.greeting));
  const defaultLanguage = value(AUTO_REPLY_SETTING_KEYS.defaultLanguage);
  return {
    defaultLanguage: isReplyLanguage(defaultLanguage) ? defaultLanguage : "de",
    greeting: greeting.success ? greeting.data : null,
    optInConfirmation: localized(
      AUTO_REPLY_SETTING_KEYS.optInConfirmation,
      CONSENT_SETTING_KEYS.optInConfirmation,
      DEFAULT_AUTO_REPLIES.optInConfirmation,
    ),
    optOutConfirmation: localized(
      AUTO_REPLY_SETTING_KEYS.optOutConfirmation,
      CONSENT_SETTING_KEYS.optOutConfirmation,
      DEFAULT_AUTO_REPLIES.optOutConfirmation,
    ),
    optInPurpose: keywords.optInPurpose,
    consentQuestions: {
      service: { de: questions.service.de.text, en: questions.service.en.text },
      marketing: { de: questions.marketing.de.text, en: questions.marketing.en.text },
    },
  };
}

/** Saves the automatic replies (admins); a changed consent question becomes a new version of its wording. */
export async function saveAutoReplySettings(
  db: DbTx,
  input: AutoReplySettings,
  actor: { userId: string; ip?: string },
): Promise<AutoReplySettings> {
  const put = (key: string, value: unknown) =>
    db.setting.upsert({
      where: { key },
      create: { key, value: value as never, updatedById: actor.userId },
      update: { value: value as never, updatedById: actor.userId },
    });
  await put(AUTO_REPLY_SETTING_KEYS.defaultLanguage, input.defaultLanguage);
  await put(AUTO_REPLY_SETTING_KEYS.greeting, input.greeting);
  await put(AUTO_REPLY_SETTING_KEYS.optInConfirmation, input.optInConfirmation);
  await put(AUTO_REPLY_SETTING_KEYS.optOutConfirmation, input.optOutConfirmation);
  await put(CONSENT_SETTING_KEYS.optInPurpose, input.optInPurpose);
  for (const purpose of ["service", "marketing"] as const) {
    const current = await loadConsentQuestion(db, purpose);
    for (const language of ["de", "en"] as const) {
      const text = input.consentQuestions[purpose][language];
      if (current[language].text === text) continue;
      await db.consentText.updateMany({ where: { purpose, language, isActive: true }, data: { isActive: false } });
      await db.consentText.create({
        data: { purpose, language, version: (current[language].version ?? 0) + 1, text, createdById: actor.userId },
      });
    }
  }
  await recordAudit(
    db,
    { type: "user", userId: actor.userId, ...(actor.ip ? { ip: actor.ip } : {}) },
    "settings.auto_replies_changed",
    "setting",
    "autoReply",
  );
  return loadAutoReplySettings(db);
}

/** The language to write to the conversation's customer in (see chooseCustomerLanguage). */
export async function customerLanguageOf(db: DbTx, conversationId: string, fallback?: ReplyLanguage) {
  const conversation = await db.conversation.findUnique({
    where: { id: conversationId },
    select: {
      contact: { select: { waId: true, countryCode: true, locale: true } },
      messages: {
        where: { direction: "inbound", type: "text", text: { not: null } },
        orderBy: { createdAt: "desc" },
        take: 5,
        select: { text: true },
      },
    },
  });
  const defaultLanguage =
    fallback ??
    (await loadAutoReplySettings(db).then(
      (s) => s.defaultLanguage,
      () => "de" as const,
    ));
  if (!conversation) return defaultLanguage;
  return chooseCustomerLanguage({
    texts: conversation.messages.map((m) => m.text ?? ""),
    waId: conversation.contact.waId,
    countryCode: conversation.contact.countryCode,
    locale: conversation.contact.locale,
    fallback: defaultLanguage,
  });
}
