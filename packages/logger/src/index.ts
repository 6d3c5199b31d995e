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
