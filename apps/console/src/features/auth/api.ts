import type { SessionDto } from "@inbox/contracts";
import { api, setCsrfToken } from "../../lib/http";
import { setTimeZone } from "../../lib/format";

function remember(session: SessionDto): SessionDto {
  setCsrfToken(session.csrfToken);
  setTimeZone(session.user.timeZone);
  return session;
}

export const fetchMe = async () => remember(await api<SessionDto>("/api/auth/me"));
export const logIn = async (email: string, password: string) =>
  remember(await api<SessionDto>("/api/auth/login", { method: "POST", body: { email, password } }));
export const verifyTotp = async (code: string) =>
  remember(await api<SessionDto>("/api/auth/totp", { method: "POST", body: { code } }));
export const enrollTotp = () =>
  api<{ secret: string; otpauthUri: string }>("/api/auth/totp/enroll", { method: "POST" });
export const confirmTotp = async (code: string) =>
  remember(await api<SessionDto>("/api/auth/totp/confirm", { method: "POST", body: { code } }));
export const logOut = async () => {
  await api<void>("/api/auth/logout", { method: "POST" });
  setCsrfToken(null);
};
export const changePassword = async (currentPassword: string, newPassword: string) =>
  remember(await api<SessionDto>("/api/auth/password", { method: "POST", body: { currentPassword, newPassword } }));
export const verifyRecoveryCode = async (code: string) =>
  remember(await api<SessionDto>("/api/auth/totp/recovery", { method: "POST", body: { code } }));
export const createRecoveryCodes = (password?: string) =>
  api<{ codes: string[] }>("/api/auth/recovery-codes", { method: "POST", body: password ? { password } : {} });
export const countRecoveryCodes = () => api<{ remaining: number }>("/api/auth/recovery-codes");
export const disableTotp = (password: string) =>
  api<void>("/api/auth/totp/disable", { method: "POST", body: { password } });
