import { z } from "zod";
import { RoleSchema } from "./conversations";
import { MIN_PASSWORD_LENGTH } from "./limits";

export { MIN_PASSWORD_LENGTH };
export const PasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(1000);

export const LoginBodySchema = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1000),
});
export type LoginBody = z.infer<typeof LoginBodySchema>;

export const MeUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  teamIds: z.array(z.string()),
  locale: z.string(),
  timeZone: z.string(),
  totpEnabled: z.boolean(),
  /** An admin reset the password: set a new one (POST /api/auth/password) before anything else works. */
  mustChangePassword: z.boolean(),
});
export type MeUser = z.infer<typeof MeUserSchema>;

/**
 * Answer of login and me. `csrfToken` must come back as the `x-csrf-token` header on every mutation.
 * `totpRequired`: enter the code (POST /api/auth/totp). `totpEnrollmentRequired`: admins require TOTP and the
 * user has none yet (POST /api/auth/totp/enroll, then /api/auth/totp/confirm). Until then only these work.
 */
export const SessionDtoSchema = z.object({
  user: MeUserSchema,
  csrfToken: z.string(),
  expiresAt: z.iso.datetime(),
  totpRequired: z.boolean(),
  totpEnrollmentRequired: z.boolean(),
});
export type SessionDto = z.infer<typeof SessionDtoSchema>;

export const TotpCodeBodySchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, "must be 6 digits"),
});
export const TotpEnrollmentSchema = z.object({ secret: z.string(), otpauthUri: z.string() });
export const ChangePasswordBodySchema = z.object({
  currentPassword: z.string().min(1).max(1000),
  newPassword: PasswordSchema,
});

export const TotpDisableBodySchema = z.object({ password: z.string().min(1) });

export const CSRF_HEADER = "x-csrf-token";
export const SESSION_COOKIE = "inbox_session";
