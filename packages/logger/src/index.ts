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

type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace";

/** Whether a logger with this level writes lines of `level` (for work done only to build a line). */
export function isLevelEnabled(log: { level: string }, level: LogLevel): boolean {
  const current = pino.levels.values[log.level];
  return current !== undefined && current <= pino.levels.values[level]!;
}

/** What a request's logger offers (Fastify's `request.log`): the level methods and `child`. */
export interface RequestLogger extends Pick<pino.BaseLogger, LogLevel | "level" | "silent"> {
  child(bindings: pino.Bindings, options?: pino.ChildLoggerOptions): RequestLogger;
}

/**
 * A child of `parent` with `bindings` that pino builds only when a line is written at an enabled level. Fastify gives
 * every request a child logger carrying its request id, and pino builds a child by running the redaction over its
 * bindings (the wildcard paths of REDACT_PATHS apply to every binding): per webhook that cost more CPU than the
 * rest of its logging, which at the default level writes nothing. A line that is written goes through the real
 * child, so it carries the same bindings and is redacted the same way.
 */
export function createLazyChildLogger(
  parent: ParentLogger,
  bindings: pino.Bindings,
  options?: pino.ChildLoggerOptions,
): RequestLogger {
  // A child with a level or serializers of its own decides differently from its parent: build it now.
  if (options && Object.keys(options).length > 0) return parent.child(bindings, options);
  return new LazyChildLogger(parent, bindings);
}

type ParentLogger = Pick<Logger, "level" | "child">;

class LazyChildLogger implements RequestLogger {
  #child: Logger | undefined;

  constructor(
    private readonly parent: ParentLogger,
    private readonly bindings: pino.Bindings,
  ) {}

  private get logger(): Logger {
    return (this.#child ??= this.parent.child(this.bindings));
  }

  get level(): pino.LevelWithSilentOrString {
    return (this.#child ?? this.parent).level;
  }

  set level(level: pino.LevelWithSilentOrString) {
    this.logger.level = level;
  }

  private write(level: LogLevel, args: unknown[]): void {
    if (!isLevelEnabled(this.#child ?? this.parent, level)) return;
    this.logger[level](...(args as Parameters<pino.LogFn>));
  }

  fatal(...args: unknown[]): void {
    this.write("fatal", args);
  }
  error(...args: unknown[]): void {
    this.write("error", args);
  }
  warn(...args: unknown[]): void {
    this.write("warn", args);
  }
  info(...args: unknown[]): void {
    this.write("info", args);
  }
  debug(...args: unknown[]): void {
    this.write("debug", args);
  }
  trace(...args: unknown[]): void {
    this.write("trace", args);
  }
  silent(): void {}

  child(bindings: pino.Bindings, options?: pino.ChildLoggerOptions): RequestLogger {
    return this.logger.child(bindings, options);
  }
}
