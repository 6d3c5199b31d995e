import { z } from "zod";

/** Meta's limits of a WhatsApp business profile (the same numbers as @inbox/whatsapp's wire schema). */
export const BUSINESS_PROFILE_LIMITS = {
  about: 139,
  address: 256,
  description: 512,
  email: 128,
  websites: 2,
  website: 256,
  photoBytes: 5 * 1024 * 1024,
} as const;
export const BUSINESS_VERTICALS = [
  "UNDEFINED",
  "OTHER",
  "AUTO",
  "BEAUTY",
  "APPAREL",
  "EDU",
  "ENTERTAIN",
  "EVENT_PLAN",
  "FINANCE",
  "GROCERY",
  "GOVT",
  "HOTEL",
  "HEALTH",
  "NONPROFIT",
  "PROF_SERVICES",
  "RETAIL",
  "TRAVEL",
  "RESTAURANT",
  "NOT_A_BIZ",
] as const;
export const PROFILE_PHOTO_MIME_TYPES = ["image/jpeg", "image/png"] as const;

/** `GET /api/admin/channels/:id/business-profile`: the number's profile as WhatsApp users see it. */
export const BusinessProfileDtoSchema = z.object({
  about: z.string(),
  address: z.string(),
  description: z.string(),
  email: z.string(),
  websites: z.array(z.string()),
  vertical: z.string(),
  /** Whether a profile photo is set (the photo itself lives on Meta's CDN, which the console's CSP does not load). */
  hasPhoto: z.boolean(),
});
export type BusinessProfileDto = z.infer<typeof BusinessProfileDtoSchema>;

const website = z
  .string()
  .trim()
  .max(BUSINESS_PROFILE_LIMITS.website)
  .regex(/^https?:\/\/\S+$/, "must start with http:// or https://");

/** `PUT /api/admin/channels/:id/business-profile`: fields left out stay as they are; "" clears (not about). */
export const UpdateBusinessProfileBodySchema = z.object({
  about: z.string().trim().min(1).max(BUSINESS_PROFILE_LIMITS.about).optional(),
  address: z.string().trim().max(BUSINESS_PROFILE_LIMITS.address).optional(),
  description: z.string().trim().max(BUSINESS_PROFILE_LIMITS.description).optional(),
  email: z.union([z.literal(""), z.email().max(BUSINESS_PROFILE_LIMITS.email)]).optional(),
  websites: z.array(website).max(BUSINESS_PROFILE_LIMITS.websites).optional(),
  vertical: z.union([z.literal(""), z.enum(BUSINESS_VERTICALS)]).optional(),
});
export type UpdateBusinessProfileBody = z.infer<typeof UpdateBusinessProfileBodySchema>;
