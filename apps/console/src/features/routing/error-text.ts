import type { TFunction } from "i18next";
import { ApiError } from "../../lib/http";

/** A refusal from the API as a sentence in the user's language (the code picks the text, the message adds detail). */
export function errorText(t: TFunction, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof ApiError ? error.code : "generic";
  return t(`errors.${code}`, { ns: "routing", message, defaultValue: t("errors.generic", { ns: "routing", message }) });
}
