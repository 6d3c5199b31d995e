import { z } from "zod";

/** A text in each language the product replies in. */
export const LocalizedTextSchema = z.object({
  de: z.string().trim().min(1).max(4096),
  en: z.string().trim().min(1).max(4096),
});
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

/**
 * Automatic replies, each sent in the customer's language (from what they wrote or their number's country, else
 * `defaultLanguage`). `greeting` null: no greeting. The consent question is versioned per purpose and language,
 * so a consent records the wording the customer answered.
 */
export const AutoReplySettingsSchema = z.object({
  defaultLanguage: z.enum(["de", "en"]),
  greeting: LocalizedTextSchema.nullable(),
  optInConfirmation: LocalizedTextSchema,
  optOutConfirmation: LocalizedTextSchema,
  /** Purpose a "JA" grants, and so which consent question "ask for consent" sends. */
  optInPurpose: z.enum(["service", "marketing"]),
  consentQuestions: z.object({ service: LocalizedTextSchema, marketing: LocalizedTextSchema }),
});
export type AutoReplySettings = z.infer<typeof AutoReplySettingsSchema>;
