import { z } from "zod";

/** Fields of `GET /{phone-number-id}/whatsapp_business_profile`. */
export const BUSINESS_PROFILE_FIELDS = "about,address,description,email,profile_picture_url,websites,vertical";

export const BusinessProfileSchema = z.looseObject({
  about: z.string().optional(),
  address: z.string().optional(),
  description: z.string().optional(),
  email: z.string().optional(),
  profile_picture_url: z.string().optional(),
  websites: z.array(z.string()).optional(),
  vertical: z.string().optional(),
  messaging_product: z.literal("whatsapp").optional(),
});
export type BusinessProfile = z.infer<typeof BusinessProfileSchema>;

export const BusinessProfileResponseSchema = z.looseObject({ data: z.array(BusinessProfileSchema) });

/** `POST /{phone-number-id}/whatsapp_business_profile`: only the fields given change. */
export const UpdateBusinessProfileRequestSchema = z.looseObject({
  messaging_product: z.literal("whatsapp"),
  about: z.string().min(1).max(139).optional(),
  address: z.string().max(256).optional(),
  description: z.string().max(512).optional(),
  email: z.string().max(128).optional(),
  websites: z.array(z.string().max(256)).max(2).optional(),
  vertical: z.string().optional(),
  profile_picture_handle: z.string().optional(),
});
export type UpdateBusinessProfileRequest = z.infer<typeof UpdateBusinessProfileRequestSchema>;
