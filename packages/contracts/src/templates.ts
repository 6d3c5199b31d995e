import { z } from "zod";

export const TemplateDtoSchema = z.object({
  id: z.string(),
  channelId: z.string(),
  name: z.string(),
  language: z.string(),
  category: z.enum(["marketing", "utility", "authentication"]),
  /** Meta's review status: APPROVED, PENDING, REJECTED, PAUSED, DISABLED (DELETED: no longer at Meta). */
  status: z.string(),
  parameterCount: z.number().int(),
  components: z.array(z.record(z.string(), z.unknown())),
  syncedAt: z.iso.datetime(),
});
export type TemplateDto = z.infer<typeof TemplateDtoSchema>;

/** Why a template cannot go to this contact now (the send rules' codes, see the messages API). */
export const TEMPLATE_BLOCK_CODES = ["opted_out", "consent_missing", "template_not_approved"] as const;
export type TemplateBlockCode = (typeof TEMPLATE_BLOCK_CODES)[number];

/** A template as the picker of one conversation offers it: sendable now, or why not. */
export const ConversationTemplateDtoSchema = TemplateDtoSchema.extend({
  isSendable: z.boolean(),
  blockedBy: z.enum(TEMPLATE_BLOCK_CODES).nullable(),
  reason: z.string().nullable(),
});
export type ConversationTemplateDto = z.infer<typeof ConversationTemplateDtoSchema>;

/** "Ask for consent": the configured consent question, in the customer's language, while the window is open. */
export const ConsentRequestBodySchema = z.object({
  clientId: z.string().trim().min(1).max(100),
  /** The purpose asked for; the configured opt-in purpose when omitted. */
  purpose: z.enum(["service", "marketing"]).optional(),
});
export type ConsentRequestBody = z.infer<typeof ConsentRequestBodySchema>;

export const TemplateListQuerySchema = z.object({
  channelId: z.string().optional(),
  /** Also PENDING / REJECTED / … templates (admins' overview); the picker shows approved ones only. */
  includeUnapproved: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true"),
});

export const TemplateSyncBodySchema = z.object({ channelId: z.string().optional() }).default({});
