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

export const TemplateListQuerySchema = z.object({
  channelId: z.string().optional(),
  /** Also PENDING / REJECTED / … templates (admins' overview); the picker shows approved ones only. */
  includeUnapproved: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true"),
});

export const TemplateSyncBodySchema = z.object({ channelId: z.string().optional() }).default({});

/** A template as the picker of one conversation shows it: whether this contact may receive it now, and why not. */
export const ConversationTemplateDtoSchema = TemplateDtoSchema.extend({
  isSendable: z.boolean(),
  /** opted_out: the contact withdrew this purpose; consent_missing: no opt-in for a business-initiated send. */
  blockedBy: z.enum(["opted_out", "consent_missing", "window_closed"]).nullable(),
  /** Outside the customer's 24 h window: the template starts a business-initiated conversation. */
  isBusinessInitiated: z.boolean(),
});
export type ConversationTemplateDto = z.infer<typeof ConversationTemplateDtoSchema>;
