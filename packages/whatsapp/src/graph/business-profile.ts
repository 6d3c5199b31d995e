/**
 * The business profile of a phone number (`GET|POST /{phone-number-id}/whatsapp_business_profile`) and the Resumable
 * Upload API that turns a profile photo into a `profile_picture_handle` (`POST /app/uploads`, then
 * `POST /upload:{session}` with the bytes). Meta's limits: about 1–139 characters, address ≤ 256, description ≤ 512,
 * e-mail ≤ 128 (an e-mail address), at most 2 websites of ≤ 256 characters with http(s)://, vertical one of the list
 * (or empty). Used by the product's Graph client and by the simulator.
 */
import { z } from "zod";

export const BUSINESS_PROFILE_LIMITS = {
  about: 139,
  address: 256,
  description: 512,
  email: 128,
  websites: 2,
  website: 256,
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

/** What a profile photo may be: JPEG or PNG (Resumable Upload `file_type`), at most 5 MB. */
export const PROFILE_PHOTO_TYPES = ["image/jpeg", "image/png"] as const;
export const PROFILE_PHOTO_MAX_BYTES = 5 * 1024 * 1024;

export const BUSINESS_PROFILE_FIELDS = "about,address,description,email,profile_picture_url,websites,vertical";

export const BusinessProfileSchema = z.looseObject({
  messaging_product: z.literal("whatsapp").optional(),
  about: z.string().optional(),
  address: z.string().optional(),
  description: z.string().optional(),
  email: z.string().optional(),
  profile_picture_url: z.string().optional(),
  websites: z.array(z.string()).optional(),
  vertical: z.string().optional(),
});
export type BusinessProfile = z.infer<typeof BusinessProfileSchema>;
export const BusinessProfileResponseSchema = z.looseObject({ data: z.array(BusinessProfileSchema) });

const website = z
  .string()
  .max(BUSINESS_PROFILE_LIMITS.website)
  .regex(/^https?:\/\/\S+$/, "must start with http:// or https://");

/** The update body, with Meta's limits: fields left out stay as they are. */
export const UpdateBusinessProfileRequestSchema = z.object({
  messaging_product: z.literal("whatsapp"),
  about: z.string().min(1).max(BUSINESS_PROFILE_LIMITS.about).optional(),
  address: z.string().max(BUSINESS_PROFILE_LIMITS.address).optional(),
  description: z.string().max(BUSINESS_PROFILE_LIMITS.description).optional(),
  email: z.union([z.literal(""), z.email().max(BUSINESS_PROFILE_LIMITS.email)]).optional(),
  websites: z.array(website).max(BUSINESS_PROFILE_LIMITS.websites).optional(),
  vertical: z.union([z.literal(""), z.enum(BUSINESS_VERTICALS)]).optional(),
  profile_picture_handle: z.string().min(1).optional(),
});
export type UpdateBusinessProfileRequest = z.infer<typeof UpdateBusinessProfileRequestSchema>;

/** `POST /app/uploads?file_length&file_type&file_name` → the upload session, e.g. `upload:MTph…?sig=ARZ…`. */
export const UploadSessionResponseSchema = z.looseObject({ id: z.string().min(1) });
/** `POST /upload:{session}` (header `file_offset: 0`, the bytes as body) → the file handle. */
export const UploadedFileResponseSchema = z.looseObject({ h: z.string().min(1) });
