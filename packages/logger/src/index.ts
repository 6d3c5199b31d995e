import pino, { type DestinationStream, type Logger, type LoggerOptions } from "pino";

export type { Logger } from "pino";

/**
 * Paths that may carry personal data or secrets. Message bodies and phone numbers are personal data under the
 * GDPR and stay out of logs by default; set LOG_LEVEL=debug to see ids, never contents.
 */
export const REDACT_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-hub-signature-256"]',
  'res.headers["set-cookie"]',
  "*.password",
  "*.passwordHash",
  "*.token",
  "*.accessToken",
  "*.appSecret",
  "*.totpSecret",
  "*.text",
  "*.body",
  "*.caption",
  "*.waId",
  "*.wa_id",
  "*.phone",
  "*.from",
  "*.to",
  "*.recipient_id",
  "*.profileName",
  "*.email",
];

/**
 * How a request appears in logs: method and path, never the query string — it can carry the webhook's verify token
 * (`hub.verify_token`) and search terms with names and phone numbers (`q`).
 */
export function serializeRequest(req: { method?: string; url?: string; ip?: string }): Record<string, unknown> {
  const url = typeof req.url === "string" ? req.url : "";
  const query = url.indexOf("?");
  return {
    method: req.method,
    url: query === -1 ? url : `${url.slice(0, query)}?[redacted]`,
    ...(req.ip ? { remoteAddress: req.ip } : {}),
  };
}

export interface CreateLoggerOptions {
  name: string;
  level?: string;
  /** Human-readable lines (pino-pretty); defaults to on when stdout is a terminal, JSON otherwise. */
  pretty?: boolean;
  /** Where the JSON lines go instead of stdout (a test that reads what was logged). */
  destination?: DestinationStream;
}

export function createLogger({ name, level = "info", pretty, destination }: CreateLoggerOptions): Logger {
  const options: LoggerOptions = {
    name,
    level,
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    base: { service: name },
    serializers: { req: serializeRequest },
  };
  if (destination) return pino(options, destination);
  const usePretty = pretty ?? process.stdout.isTTY;
  if (usePretty) {
    return pino({
      ...options,
      transport: { target: "pino-pretty", options: { colorize: true, ignore: "pid,hostname,service" } },
    });
  }
  return pino(options);
}
