import type { SessionDto } from "@inbox/contracts";
import { api, setCsrfToken } from "../../lib/http";
import { setTimeZone } from "../../lib/format";

function remember<T extends SessionDto>(session: T): T {
  setCsrfToken(session.csrfToken);
  setTimeZone(session.user.timeZone);
  return session;
}

export interface TotpEnrollment {
  secret: string;
  otpauthUri: string;
  qrCodeDataUrl: string;
}

export const fetchMe = async () => remember(await api<SessionDto>("/api/auth/me"));
export const logIn = async (email: string, password: string) =>
  remember(await api<SessionDto>("/api/auth/login", { method: "POST", body: { email, password } }));
/** The TOTP code or a recovery code. */
export const verifyTotp = async (code: string) =>
  remember(await api<SessionDto>("/api/auth/totp", { method: "POST", body: { code } }));
/** `password` when signed in already (the account page); the sign-in that must enrol sends none. */
export const enrollTotp = (password?: string) =>
  api<TotpEnrollment>("/api/auth/totp/enroll", { method: "POST", body: password ? { password } : {} });
export const confirmTotp = async (code: string) =>
  remember(
    await api<SessionDto & { recoveryCodes: string[] }>("/api/auth/totp/confirm", { method: "POST", body: { code } }),
  );
export const fetchRecoveryCodesLeft = () => api<{ remaining: number }>("/api/auth/totp/recovery-codes");
export const regenerateRecoveryCodes = (password: string) =>
  api<{ recoveryCodes: string[] }>("/api/auth/totp/recovery-codes", { method: "POST", body: { password } });
export const disableTotp = (password: string) =>
  api<void>("/api/auth/totp/disable", { method: "POST", body: { password } });
export const logOut = async () => {
  await api<void>("/api/auth/logout", { method: "POST" });
  setCsrfToken(null);
};
export const changePassword = async (currentPassword: string, newPassword: string) =>
  remember(await api<SessionDto>("/api/auth/password", { method: "POST", body: { currentPassword, newPassword } }));
