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
