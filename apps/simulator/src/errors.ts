/** Meta's error envelopes: synchronous Graph API errors and the `errors[]` of webhooks. */
import { randomBytes } from "node:crypto";
import { CLOUD_API_ERRORS, type GraphErrorResponse, type WebhookError } from "@inbox/whatsapp";

export class GraphError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly body: GraphErrorResponse,
  ) {
    super(body.error.message);
  }
}

/** Meta's error envelope for a code of the table. */
export function graphError(code: number, details?: string): GraphError {
  const info = CLOUD_API_ERRORS[code];
  const title = info?.title ?? (code === 133010 ? "Account not registered" : "Unknown error");
  return new GraphError(info?.httpStatus ?? 400, {
    error: {
      message: `(#${code}) ${title}`,
      type: info?.type ?? "OAuthException",
      code,
      error_data: { messaging_product: "whatsapp", details: details ?? info?.details ?? title },
      fbtrace_id: randomBytes(9).toString("base64url"),
    },
  });
}

export function webhookError(code: number): WebhookError {
  const info = CLOUD_API_ERRORS[code];
  const title = info?.title ?? "Unknown error";
  return {
    code,
    title,
    message: title,
    error_data: { details: info?.details ?? title },
    href: "https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes",
  };
}
