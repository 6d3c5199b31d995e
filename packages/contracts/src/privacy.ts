import { z } from "zod";

/** Retention (Löschfristen), legal holds, audit log and data-subject requests: the admin privacy API. */

export const RETENTION_CATEGORIES = [
  "messages",
  "media",
  "contacts",
  "webhook_payloads",
  "sessions",
  "outbox",
] as const;
export const RetentionCategorySchema = z.enum(RETENTION_CATEGORIES);
export type RetentionCategory = z.infer<typeof RetentionCategorySchema>;

export const RetentionPolicyInputSchema = z.object({
  category: RetentionCategorySchema,
  days: z.number().int().min(0).max(36_500),
  channelId: z.uuid().nullish(),
  /** messages only: conversations carrying this label. */
  labelId: z.uuid().nullish(),
});
export type RetentionPolicyInput = z.infer<typeof RetentionPolicyInputSchema>;

export const PutRetentionPoliciesBodySchema = z.object({
  policies: z.array(RetentionPolicyInputSchema).max(500),
  /** Required when a period is below its category's documented minimum. */
  confirm: z.boolean().optional(),
});
export type PutRetentionPoliciesBody = z.infer<typeof PutRetentionPoliciesBodySchema>;

export const RetentionPolicyDtoSchema = z.object({
  id: z.string().nullable(),
  category: RetentionCategorySchema,
  days: z.number().int(),
  channelId: z.string().nullable(),
  labelId: z.string().nullable(),
  /** True for the built-in default of a category nobody has configured. */
  isDefault: z.boolean(),
});
export type RetentionPolicyDto = z.infer<typeof RetentionPolicyDtoSchema>;

export const RetentionCategoryInfoSchema = z.object({
  category: RetentionCategorySchema,
  defaultDays: z.number().int(),
  minimumDays: z.number().int(),
  /** Whether policies of this category may name a channel / a label. */
  perChannel: z.boolean(),
  perLabel: z.boolean(),
});

export const RetentionPoliciesDtoSchema = z.object({
  policies: z.array(RetentionPolicyDtoSchema),
  categories: z.array(RetentionCategoryInfoSchema),
  lastRun: z
    .object({ id: z.string(), isDryRun: z.boolean(), startedAt: z.string(), finishedAt: z.string().nullable() })
    .nullable(),
});
export type RetentionPoliciesDto = z.infer<typeof RetentionPoliciesDtoSchema>;

export const CreateLegalHoldBodySchema = z
  .object({
    conversationId: z.uuid().optional(),
    contactId: z.uuid().optional(),
    reason: z.string().trim().min(3).max(500),
    expiresAt: z.iso.datetime().optional(),
  })
  .refine((b) => (b.conversationId ? 1 : 0) + (b.contactId ? 1 : 0) === 1, {
    message: "exactly one of conversationId and contactId",
  });
export type CreateLegalHoldBody = z.infer<typeof CreateLegalHoldBodySchema>;

export const LegalHoldDtoSchema = z.object({
  id: z.string(),
  conversationId: z.string().nullable(),
  contactId: z.string().nullable(),
  reason: z.string(),
  expiresAt: z.string().nullable(),
  placedById: z.string().nullable(),
  createdAt: z.string(),
});
export type LegalHoldDto = z.infer<typeof LegalHoldDtoSchema>;

export const AuditLogQuerySchema = z.object({
  /** Exact action (`auth.login`) or a prefix ending in `.*` (`auth.*`). */
  action: z
    .string()
    .regex(/^[a-z_]+(\.[a-z_]+)*(\.\*)?$/, "an action such as auth.login, or a prefix such as auth.*")
    .optional(),
  actorId: z.uuid().optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(40).optional(),
});
export type AuditLogQuery = z.infer<typeof AuditLogQuerySchema>;

export const AuditEntryDtoSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  action: z.string(),
  actorType: z.enum(["user", "system", "customer"]),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  target: z.object({ type: z.string(), id: z.string().nullable() }),
  ip: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type AuditEntryDto = z.infer<typeof AuditEntryDtoSchema>;

export const CreateDataSubjectRequestBodySchema = z.object({
  contactId: z.uuid(),
  type: z.enum(["export", "erasure"]),
});
export type CreateDataSubjectRequestBody = z.infer<typeof CreateDataSubjectRequestBodySchema>;

export const DataSubjectRequestDtoSchema = z.object({
  id: z.string(),
  type: z.enum(["export", "erasure"]),
  status: z.enum(["pending", "done", "failed"]),
  contactId: z.string().nullable(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
  /** What was exported or erased (counts), or the reason it failed. */
  report: z.record(z.string(), z.unknown()),
  hasDownload: z.boolean(),
});
export type DataSubjectRequestDto = z.infer<typeof DataSubjectRequestDtoSchema>;

/** Meta's local storage for one WhatsApp number, as read back from the Graph API when the record was built. */
export const ChannelRegionDtoSchema = z.object({
  channelId: z.string(),
  name: z.string(),
  type: z.enum(["whatsapp", "webchat"]),
  /** The region recorded when the number was registered with local storage (`pnpm inbox whatsapp register`). */
  declaredRegion: z.string().nullable(),
  /** Read from Meta now: `enabled` (with region), `disabled`, or `unknown` (Meta not reachable, or not WhatsApp). */
  localStorage: z.enum(["enabled", "disabled", "unknown"]),
  localStorageRegion: z.string().nullable(),
});
export type ChannelRegionDto = z.infer<typeof ChannelRegionDtoSchema>;

const ProcessingSectionSchema = z.object({ title: z.string(), items: z.array(z.string()) });

/** The languages the record of processing activities is written in (German first: the DPO's document). */
export const ProcessingRecordLanguageSchema = z.enum(["de", "en"]);
export type ProcessingRecordLanguage = z.infer<typeof ProcessingRecordLanguageSchema>;

/** `?lang=de|en`; without it the record is in the signed-in admin's own language. */
export const ProcessingRecordQuerySchema = z.object({ lang: ProcessingRecordLanguageSchema.optional() });

/** Art. 30 record of processing activities, generated from the live configuration in German or English (Markdown download). */
export const ProcessingRecordDtoSchema = z.object({
  language: ProcessingRecordLanguageSchema,
  generatedAt: z.string(),
  dataRegion: z.string(),
  mediaStore: z.object({ kind: z.enum(["local", "s3"]), location: z.string() }),
  channels: z.array(ChannelRegionDtoSchema),
  purposes: ProcessingSectionSchema,
  dataSubjects: ProcessingSectionSchema,
  dataCategories: ProcessingSectionSchema,
  recipients: ProcessingSectionSchema,
  retention: ProcessingSectionSchema,
  measures: ProcessingSectionSchema,
});
export type ProcessingRecordDto = z.infer<typeof ProcessingRecordDtoSchema>;

export const ConsentPurposeSchema = z.enum(["service", "marketing"]);
/**
 * The languages customers get automatic replies in (one per customer: their message's, their number's country or
 * DEFAULT_CUSTOMER_LANGUAGE). Admin texts for customers are kept per language; a language added here gets a field.
 */
export const CUSTOMER_LANGUAGES = ["de", "en"] as const;
export type CustomerLanguage = (typeof CUSTOMER_LANGUAGES)[number];
export const ConsentLanguageSchema = z.enum(CUSTOMER_LANGUAGES);
/** One text per customer language; an empty one is unset (the default language's text, else the built-in one). */
export const ReplyTextsSchema = z.record(ConsentLanguageSchema, z.string().trim().max(4096));
export type ReplyTexts = z.infer<typeof ReplyTextsSchema>;

/** One version of a consent wording; every recorded consent names the version the customer was shown. */
export const ConsentTextDtoSchema = z.object({
  id: z.string(),
  purpose: ConsentPurposeSchema,
  language: z.string(),
  version: z.number().int(),
  text: z.string(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  /** Consents recorded with this version. */
  consents: z.number().int(),
});
export type ConsentTextDto = z.infer<typeof ConsentTextDtoSchema>;

export const SaveConsentTextBodySchema = z.object({
  purpose: ConsentPurposeSchema,
  language: ConsentLanguageSchema,
  text: z.string().trim().min(10).max(2000),
});
export type SaveConsentTextBody = z.infer<typeof SaveConsentTextBodySchema>;

const KeywordSchema = z.string().trim().min(1).max(100);

/** Chat keywords for opt-in / opt-out and the confirmations sent after them (admins). */
export const ConsentSettingsSchema = z.object({
  optInKeywords: z.array(KeywordSchema).max(100),
  optOutKeywords: z.array(KeywordSchema).min(1).max(100),
  /** What an opt-in keyword grants. */
  optInPurpose: ConsentPurposeSchema,
  /** The confirmation after an opt-in keyword, per customer language. */
  optInConfirmation: ReplyTextsSchema,
  /** The confirmation after an opt-out keyword, per customer language. */
  optOutConfirmation: ReplyTextsSchema,
});
export type ConsentSettings = z.infer<typeof ConsentSettingsSchema>;

/** The settings as admins see them: with the language unset texts fall back to, and the built-in texts. */
export const ConsentSettingsViewSchema = ConsentSettingsSchema.extend({
  /** DEFAULT_CUSTOMER_LANGUAGE: its text goes to customers whose language has none. */
  defaultLanguage: ConsentLanguageSchema,
  /** What customers get while neither their language's nor the default language's text is set. */
  builtInConfirmations: z.object({ optIn: ReplyTextsSchema, optOut: ReplyTextsSchema }),
});
export type ConsentSettingsView = z.infer<typeof ConsentSettingsViewSchema>;
