import type { TFunction } from "i18next";
import { ApiError } from "./http";

/** Codes whose request may succeed when simply sent again (the idempotency key makes a resend safe). */
const RETRYABLE = new Set(["network", "internal", "unavailable", "rate_limited", "error"]);

export interface DescribedError {
  text: string;
  /** Show "send again" only where it can help. */
  canRetry: boolean;
}

type ErrorKey = `errors.${string}`;

/**
 * Any error of the API (or the network) in the user's language. Every code the API returns has a text in both
 * locale files (checked by api-errors.test.ts); unknown codes get the generic text, never the raw English message.
 */
export function describeApiError(error: unknown, t: TFunction): DescribedError {
  if (!(error instanceof ApiError)) return { text: t("errors.error"), canRetry: true };
  if (error.code === "validation_failed") {
    const issues = Array.isArray(error.body.issues) ? (error.body.issues as { code?: string; maximum?: number }[]) : [];
    const tooBig = issues.find((i) => i.code === "too_big" && typeof i.maximum === "number");
    if (tooBig) return { text: t("errors.fieldTooLong", { max: tooBig.maximum }), canRetry: false };
  }
  const key: ErrorKey = `errors.${error.code}`;
  const text = t(key, { defaultValue: "" }) || t("errors.error");
  return { text, canRetry: RETRYABLE.has(error.code) || error.status >= 500 };
}
