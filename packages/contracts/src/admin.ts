import { z } from "zod";
import { PasswordSchema } from "./auth";
import { RoleSchema } from "./conversations";

export const UserDtoSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  locale: z.string(),
  isActive: z.boolean(),
  totpEnabled: z.boolean(),
  teamIds: z.array(z.string()),
  lastLoginAt: z.iso.datetime().nullable(),
  availability: z.enum(["available", "away", "offline"]),
  /** null: no limit. */
  maxOpenConversations: z.number().int().nullable(),
});
export type UserDto = z.infer<typeof UserDtoSchema>;
export const CreateUserBodySchema = z.object({
  email: z.email(),
  name: z.string().trim().min(1).max(120).optional(),
  password: PasswordSchema,
  role: RoleSchema,
  teamIds: z.array(z.string()).default([]),
  locale: z.enum(["de", "en"]).default("de"),
});
export const UpdateUserBodySchema = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  role: RoleSchema.optional(),
  teamIds: z.array(z.string()).optional(),
  isActive: z.boolean().optional(),
  locale: z.enum(["de", "en"]).optional(),
  /** Auto-assignment gives the user at most this many open conversations; null: no limit. */
  maxOpenConversations: z.number().int().min(1).max(10_000).nullable().optional(),
});
export type UpdateUserBody = z.infer<typeof UpdateUserBodySchema>;
export const ResetPasswordBodySchema = z.object({ password: PasswordSchema });

export const TeamDtoSchema = z.object({ id: z.string(), name: z.string(), description: z.string().nullable() });
export const CreateTeamBodySchema = z.object({
  name: z.string().trim().min(1).max(80),
  description: z.string().max(500).optional(),
});

export const LabelDtoSchema = z.object({ id: z.string(), name: z.string(), color: z.string() });
export type LabelDto = z.infer<typeof LabelDtoSchema>;
export const LabelBodySchema = z.object({
  name: z.string().trim().min(1).max(60),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/)
    .default("#64748b"),
});

export const QuickReplyDtoSchema = z.object({
  id: z.string(),
  shortcut: z.string(),
  title: z.string(),
  text: z.string(),
  teamId: z.string().nullable(),
});
export type QuickReplyDto = z.infer<typeof QuickReplyDtoSchema>;
export const QuickReplyBodySchema = z.object({
  shortcut: z
    .string()
    .trim()
    .regex(/^[\w-]{1,40}$/),
  title: z.string().trim().min(1).max(120),
  text: z.string().trim().min(1).max(4096),
  teamId: z.string().nullable().default(null),
});

export const ChannelDtoSchema = z.object({
  id: z.string(),
  type: z.string(),
  name: z.string(),
  displayNumber: z.string().nullable(),
  status: z.string(),
  statusReason: z.string().nullable(),
  qualityRating: z.string().nullable(),
  lastWebhookAt: z.iso.datetime().nullable(),
  dataRegion: z.string().nullable(),
  defaultTeamId: z.string().nullable(),
});
export type ChannelDto = z.infer<typeof ChannelDtoSchema>;

export const SecuritySettingsSchema = z.object({
  /** Everyone must use a second factor; switching it on ends the sessions of users without one. */
  requireTotp: z.boolean(),
  /** Leads also see conversations no team owns (off: leads see their teams, CONTRACT "Roles"). */
  leadsSeeTeamlessConversations: z.boolean(),
});
export type SecuritySettings = z.infer<typeof SecuritySettingsSchema>;
/** PUT body: the settings to change (others stay). */
export const SecuritySettingsBodySchema = SecuritySettingsSchema.partial();
