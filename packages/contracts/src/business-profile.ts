import { z } from "zod";
import { BUSINESS_VERTICALS } from "./business-verticals";

export { BUSINESS_VERTICALS };

/** The WhatsApp Business profile customers see (`GET|POST /{phone-number-id}/whatsapp_business_profile`). */
export const BusinessProfileDtoSchema = z.object({
  about: z.string(),
  address: z.string(),
  description: z.string(),
  email: z.string(),
  websites: z.array(z.string()),
  vertical: z.string(),
  profilePictureUrl: z.string().nullable(),
});
export type BusinessProfileDto = z.infer<typeof BusinessProfileDtoSchema>;

/** Meta's limits: about 1–139 characters, address 256, description 512, e-mail 128, up to two websites of 256. */
export const BusinessProfileUpdateSchema = z.object({
  about: z.string().trim().min(1).max(139).optional(),
  address: z.string().trim().max(256).optional(),
  description: z.string().trim().max(512).optional(),
  email: z.union([z.email().max(128), z.literal("")]).optional(),
  websites: z
    .array(z.url({ protocol: /^https?$/ }).max(256))
    .max(2)
    .optional(),
  vertical: z.enum(BUSINESS_VERTICALS).optional(),
});
export type BusinessProfileUpdate = z.infer<typeof BusinessProfileUpdateSchema>;
