import { z } from "zod";
import { RoleSchema } from "./conversations";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "./limits";

export { MIN_PASSWORD_LENGTH };
export const PasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH);

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

/** The 6 digits from the authenticator app, or (sign-in only) one of the recovery codes, e.g. "k7m2p-q9x4t". */
export const TotpCodeBodySchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^(\d{6}|[a-z0-9]{5}-?[a-z0-9]{5})$/i, "must be 6 digits or a recovery code"),
});
/**
 * POST /api/auth/totp/enroll. `password` is required when the session is already signed in (enrolling from the
 * settings); the sign-in that must enrol right away (totpEnrollmentRequired) has just checked it.
 */
export const TotpEnrollBodySchema = z.object({ password: z.string().min(1).max(1000).optional() }).nullish();
/** The new secret: show `qrCodeDataUrl` (a PNG data: URL for an <img>) and `secret` for manual entry. */
export const TotpEnrollmentSchema = z.object({ secret: z.string(), otpauthUri: z.string(), qrCodeDataUrl: z.string() });
/** Answer of POST /api/auth/totp/confirm: the session (now verified) and the recovery codes, shown only this once. */
export const TotpConfirmationSchema = SessionDtoSchema.extend({ recoveryCodes: z.array(z.string()) });
export const RecoveryCodesSchema = z.object({ recoveryCodes: z.array(z.string()) });
export const RecoveryCodesStatusSchema = z.object({ remaining: z.number().int() });
export const PasswordConfirmBodySchema = z.object({ password: z.string().min(1).max(1000) });
export const ChangePasswordBodySchema = z.object({
  currentPassword: z.string().min(1).max(1000),
  newPassword: PasswordSchema,
});

export const CSRF_HEADER = "x-csrf-token";
export const SESSION_COOKIE = "inbox_session";
