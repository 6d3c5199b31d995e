import type { TFunction } from "i18next";
import { ApiError } from "../../lib/http";
import { TEAM_NS } from "./locales";

/** A refusal (a thrown ApiError, or a code from a bulk answer) as a sentence in the user's language. */
export function teamErrorText(t: TFunction, error: unknown, code?: string | null): string {
  const message = error instanceof Error ? error.message : typeof error === "string" ? error : "";
  const key = code ?? (error instanceof ApiError ? error.code : "generic");
  return t(`errors.${key}`, { ns: TEAM_NS, message, defaultValue: t("errors.generic", { ns: TEAM_NS, message }) });
}
