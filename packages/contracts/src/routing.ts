import { z } from "zod";

/** Contact fields a routing rule can test ("contact attribute"). */
export const CONTACT_ATTRIBUTES = ["countryCode", "locale", "email", "profileName", "displayName"] as const;

/** What a routing rule tests; every condition given must hold (AND), at least one is required. */
export const RoutingConditionsSchema = z.strictObject({
  channelIds: z.array(z.uuid()).min(1).max(50).optional(),
  /** ISO 639-1 codes of the customer's language ("de", "en", …). */
  languages: z
    .array(z.string().regex(/^[a-z]{2}$/, "two lower-case letters (ISO 639-1)"))
    .min(1)
    .max(50)
    .optional(),
  /** Any of these words in the first message (case-insensitive). */
  keywords: z.array(z.string().trim().min(1).max(100)).min(1).max(100).optional(),
  /** A regular expression tested (case-insensitive) against the first message. */
  pattern: z.string().min(1).max(200).optional(),
  /** Ids of interactive button/list replies (or quick-reply button payloads). */
  replyIds: z.array(z.string().min(1).max(256)).min(1).max(100).optional(),
  /** Any of these labels on the contact. */
  labelIds: z.array(z.uuid()).min(1).max(50).optional(),
  contactAttribute: z
    .strictObject({ name: z.enum(CONTACT_ATTRIBUTES), value: z.string().trim().min(1).max(200) })
    .optional(),
});
export type RoutingConditions = z.infer<typeof RoutingConditionsSchema>;

export const RoutingRuleInputSchema = z.object({
  name: z.string().trim().min(1).max(120),
  isActive: z.boolean().default(true),
  conditions: RoutingConditionsSchema,
  teamId: z.uuid(),
});
export type RoutingRuleInput = z.infer<typeof RoutingRuleInputSchema>;

export const RoutingRuleDtoSchema = RoutingRuleInputSchema.extend({ id: z.string(), position: z.number().int() });
export type RoutingRuleDto = z.infer<typeof RoutingRuleDtoSchema>;

/** `PUT /api/admin/routing-rules`: the whole ordered list (first match wins), as `{"rules": […]}` or a bare array. */
export const PutRoutingRulesBodySchema = z.union([
  z.object({ rules: z.array(RoutingRuleInputSchema).max(200) }),
  z.array(RoutingRuleInputSchema).max(200),
]);

/** "Which team would get this?" — a sample first message tested against the saved rules (or the given ones). */
export const RoutingTestBodySchema = z.object({
  channelId: z.uuid(),
  text: z.string().max(4096).default(""),
  language: z
    .string()
    .regex(/^[a-z]{2}$/)
    .nullable()
    .default(null),
  replyId: z.string().max(256).nullable().default(null),
  labelIds: z.array(z.uuid()).default([]),
  contact: z.partialRecord(z.enum(CONTACT_ATTRIBUTES), z.string().max(200)).default({}),
  rules: z.array(RoutingRuleInputSchema).max(200).optional(),
});
export type RoutingTestBody = z.infer<typeof RoutingTestBodySchema>;
export const RoutingTestResultSchema = z.object({
  teamId: z.string().nullable(),
  teamName: z.string().nullable(),
  /** Index of the matching rule in the list, or null when the channel's default team applies. */
  ruleIndex: z.number().int().nullable(),
  ruleName: z.string().nullable(),
  reason: z.enum(["rule", "channel_default", "none"]),
});
export type RoutingTestResult = z.infer<typeof RoutingTestResultSchema>;

export const AssignmentModeSchema = z.enum(["manual", "round_robin", "least_loaded"]);
export type AssignmentMode = z.infer<typeof AssignmentModeSchema>;
export const LocalizedTextSchema = z.object({ de: z.string().trim().max(1000), en: z.string().trim().max(1000) });
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

const TimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "HH:MM");
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
/** Opening hours per weekday (local time of `timeZone`), public holidays of a German state, custom closed dates. */
export const BusinessHoursSchema = z.object({
  timeZone: z.string().min(1).max(64).default("Europe/Berlin"),
  days: z.partialRecord(z.enum(WEEKDAYS), z.array(z.object({ from: TimeSchema, to: TimeSchema })).max(4)),
  /** ISO 3166-2 subdivision code of a German state ("BY", "NW", …); its public holidays are closed. */
  holidayState: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .nullable()
    .default(null),
  /** Extra closed dates (YYYY-MM-DD, local). */
  closedDates: z
    .array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/))
    .max(366)
    .default([]),
});
export type BusinessHours = z.infer<typeof BusinessHoursSchema>;

export const TeamMemberDtoSchema = z.object({ userId: z.string(), role: z.enum(["member", "lead"]) });
export const TeamDetailDtoSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  assignment: AssignmentModeSchema,
  requirePresence: z.boolean(),
  awayMessage: LocalizedTextSchema.nullable(),
  greetingMessage: LocalizedTextSchema.nullable(),
  businessHours: BusinessHoursSchema.nullable(),
  members: z.array(TeamMemberDtoSchema),
});
export type TeamDetailDto = z.infer<typeof TeamDetailDtoSchema>;

export const UpdateTeamBodySchema = z.object({
  name: z.string().trim().min(1).max(80).optional(),
  description: z.string().max(500).nullable().optional(),
  assignment: AssignmentModeSchema.optional(),
  requirePresence: z.boolean().optional(),
  awayMessage: LocalizedTextSchema.nullable().optional(),
  greetingMessage: LocalizedTextSchema.nullable().optional(),
  businessHours: BusinessHoursSchema.nullable().optional(),
  /** The whole member list (replaces the current one). */
  members: z
    .array(z.object({ userId: z.uuid(), role: z.enum(["member", "lead"]).default("member") }))
    .max(500)
    .optional(),
});
export type UpdateTeamBody = z.infer<typeof UpdateTeamBodySchema>;

export const UpdateChannelBodySchema = z.object({ defaultTeamId: z.uuid().nullable() });

/** `POST /api/absences`: vacation cover. Exactly one substitute: an agent or a team. */
export const CreateAbsenceBodySchema = z.object({
  userId: z.uuid(),
  startsAt: z.iso.datetime({ offset: true }),
  /** null: until further notice. */
  endsAt: z.iso.datetime({ offset: true }).nullable().default(null),
  substituteUserId: z.uuid().nullable().optional(),
  substituteTeamId: z.uuid().nullable().optional(),
  /** all: the user's open conversations move to the substitute when the absence starts. */
  handover: z.enum(["all", "none"]).default("all"),
  /** Handed-over conversations go back to the user when the absence ends. */
  returnAtEnd: z.boolean().default(false),
  note: z.string().trim().max(500).nullable().optional(),
});
export type CreateAbsenceBody = z.infer<typeof CreateAbsenceBodySchema>;
export const AbsenceDtoSchema = z.object({
  id: z.string(),
  userId: z.string(),
  userName: z.string(),
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime().nullable(),
  substituteUserId: z.string().nullable(),
  substituteUserName: z.string().nullable(),
  substituteTeamId: z.string().nullable(),
  substituteTeamName: z.string().nullable(),
  handover: z.enum(["all", "none"]),
  returnAtEnd: z.boolean(),
  note: z.string().nullable(),
  isActive: z.boolean(),
});
export type AbsenceDto = z.infer<typeof AbsenceDtoSchema>;
