import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { z } from "zod";

/** Defaults from the operator contract; every variable is documented in .env.example. */
export const DEFAULT_DATABASE_URL = "postgresql://postgres:postgres@127.0.0.1:5432/inbox";
export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
export const DEFAULT_GRAPH_API_URL = "https://graph.facebook.com/v25.0";
export const DEFAULT_FIRST_ADMIN_EMAIL = "admin@inbox.local";
/**
 * Encrypts stored secrets (TOTP secrets, the suppression key) when ENCRYPTION_KEY is unset outside production. It is public, so it protects
 * nothing; it is fixed (not generated per start) so that secrets stored in development survive a restart and every
 * process of one installation reads them. Production refuses to start without a key of its own.
 */
export const DEV_ENCRYPTION_KEY = "development-only-encryption-key-it-is-public-never-use-it";

const emptyAsUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());

const urlWithProtocols = (protocols: string[], example: string) =>
  z
    .string()
    .trim()
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      { message: `must be a ${protocols.join(" or ")} URL, e.g. ${example}` },
    );

/** "90m", "12h", "7d" → milliseconds. */
const DURATION_UNITS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const duration = (fallback: string, min: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .transform((value, ctx) => {
      const match = /^(\d+)\s*([mhd])$/.exec(value);
      const ms = match ? Number(match[1]) * DURATION_UNITS[match[2] as keyof typeof DURATION_UNITS] : NaN;
      const minMs = Number(min.slice(0, -1)) * DURATION_UNITS[min.slice(-1) as keyof typeof DURATION_UNITS];
      if (!match) ctx.addIssue({ code: "custom", message: "must be a duration such as 30m, 12h or 7d" });
      else if (ms < minMs) ctx.addIssue({ code: "custom", message: `must be at least ${min}` });
      return ms;
    });

const PROXY_KEYWORDS = ["loopback", "linklocal", "uniquelocal"];
/**
 * Which proxies may set X-Forwarded-For: off (the default: request.ip is the connection's address), a hop count, or
 * the proxies' addresses/CIDR ranges. Never "true": trusting every hop lets any client choose its IP.
 */
const trustProxy = z
  .string()
  .trim()
  .default("false")
  .transform((value, ctx): false | number | string[] => {
    const lower = value.toLowerCase();
    if (lower === "false" || lower === "off" || lower === "0") return false;
    if (lower === "true") {
      ctx.addIssue({
        code: "custom",
        message:
          "must not be true (any client could then choose its IP): give the number of proxies in front of the api " +
          "(e.g. 1) or their addresses (e.g. 127.0.0.1,10.0.0.0/8)",
      });
      return false;
    }
    if (/^\d+$/.test(value)) return Number(value);
    const entries = value.split(",").map((entry) => entry.trim());
    const bad = entries.filter((entry) => {
      if (PROXY_KEYWORDS.includes(entry)) return false;
      const [address, bits, extra] = entry.split("/");
      if (extra !== undefined || !address || !isIP(address)) return true;
      return bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= (isIP(address) === 4 ? 32 : 128));
    });
    if (bad.length) {
      ctx.addIssue({
        code: "custom",
        message: `must be false, a hop count, or IP addresses / CIDR ranges (not ${bad.join(", ")})`,
      });
    }
    return entries;
  });

const encryptionKey = z.string().min(32, "must be at least 32 characters (generate one with: openssl rand -hex 32)");

const port = z.coerce
  .number({ message: "must be a number" })
  .int("must be a whole number")
  .min(1, "must be between 1 and 65535")
  .max(65535, "must be between 1 and 65535");

export const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z.preprocess(
      emptyAsUndefined,
      urlWithProtocols(["postgresql:", "postgres:"], DEFAULT_DATABASE_URL).default(DEFAULT_DATABASE_URL),
    ),
    /** Direct Postgres connection for migrations when DATABASE_URL goes through PgBouncer in transaction mode. */
    DATABASE_DIRECT_URL: z.preprocess(
      emptyAsUndefined,
      urlWithProtocols(["postgresql:", "postgres:"], DEFAULT_DATABASE_URL).optional(),
    ),
    REDIS_URL: z.preprocess(
      emptyAsUndefined,
      urlWithProtocols(["redis:", "rediss:"], DEFAULT_REDIS_URL).default(DEFAULT_REDIS_URL),
    ),
    /** Redis Sentinel: comma-separated host:port of the sentinels; REDIS_URL then gives password, db and TLS only. */
    REDIS_SENTINELS: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(
          /^\s*[\w.-]+:\d+\s*(,\s*[\w.-]+:\d+\s*)*$/,
          "must be host:port[,host:port…], e.g. sentinel-1:26379,sentinel-2:26379",
        )
        .transform((v) =>
          v.split(",").map((entry) => {
            const [host, port] = entry.trim().split(":");
            return { host: host!, port: Number(port) };
          }),
        )
        .optional(),
    ),
    REDIS_SENTINEL_NAME: z.preprocess(emptyAsUndefined, z.string().default("mymaster")),
    REDIS_SENTINEL_PASSWORD: optionalString,
    PORT: z.preprocess(emptyAsUndefined, port.default(3000)),
    /** Bearer token Prometheus sends for /metrics (api) and the worker's metrics port; unset: no metrics served. */
    METRICS_TOKEN: z.preprocess(
      emptyAsUndefined,
      z.string().min(16, "must be at least 16 characters (openssl rand -hex 16)").optional(),
    ),
    /** Port of the worker's own /metrics (workers serve no other HTTP); only with METRICS_TOKEN. */
    WORKER_METRICS_PORT: z.preprocess(emptyAsUndefined, port.default(9464)),
    SIMULATOR_PORT: z.preprocess(emptyAsUndefined, port.default(3001)),
    PUBLIC_URL: z.preprocess(
      emptyAsUndefined,
      urlWithProtocols(["http:", "https:"], "https://inbox.example.de").default("http://localhost:3000"),
    ),
    SESSION_SECRET: z.preprocess(
      emptyAsUndefined,
      z.string().min(32, "must be at least 32 characters (generate one with: openssl rand -hex 32)").optional(),
    ),
    /** Proxies whose X-Forwarded-For is believed (see trustProxy above). */
    TRUST_PROXY: z.preprocess(emptyAsUndefined, trustProxy),
    /** A session ends after this long without a request… */
    SESSION_IDLE_TIMEOUT: z.preprocess(emptyAsUndefined, duration("12h", "5m")),
    /** …and this long after the sign-in, however active it is. */
    SESSION_MAX_AGE: z.preprocess(emptyAsUndefined, duration("7d", "1h")),
    /** Encrypts secrets stored in the database (AES-256-GCM); see docs/security.md for rotation. */
    ENCRYPTION_KEY: z.preprocess(emptyAsUndefined, encryptionKey.optional()),
    /** Former keys, comma-separated: still decrypt, never encrypt (the next start or `pnpm inbox migrate` re-encrypts with ENCRYPTION_KEY). */
    ENCRYPTION_KEY_PREVIOUS: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .optional()
        .transform((v) =>
          (v ?? "")
            .split(",")
            .map((k) => k.trim())
            .filter(Boolean),
        )
        .pipe(z.array(encryptionKey)),
    ),
    /** E-mail of the admin created on a fresh installation. */
    FIRST_ADMIN_EMAIL: z.preprocess(
      emptyAsUndefined,
      z.email("must be an e-mail address").toLowerCase().default(DEFAULT_FIRST_ADMIN_EMAIL),
    ),
    /** Who may read the OpenAPI description at /api/docs: everyone, signed-in admins, or nobody. */
    API_DOCS: z.preprocess(emptyAsUndefined, z.enum(["public", "admin", "off"]).optional()),
    /** Open live-update websockets one user may hold on one api process (tabs, devices). */
    LIVE_MAX_SOCKETS_PER_USER: z.preprocess(
      emptyAsUndefined,
      z.coerce
        .number({ message: "must be a number" })
        .int("must be a whole number")
        .min(1, "must be at least 1")
        .max(1_000, "must be at most 1000")
        .default(10),
    ),
    WHATSAPP_APP_SECRET: optionalString,
    WHATSAPP_VERIFY_TOKEN: optionalString,
    WHATSAPP_ACCESS_TOKEN: optionalString,
    WHATSAPP_PHONE_NUMBER_ID: z.preprocess(
      emptyAsUndefined,
      z.string().regex(/^\d+$/, "must be the numeric phone number id from Meta's App Dashboard").optional(),
    ),
    WHATSAPP_BUSINESS_ACCOUNT_ID: z.preprocess(
      emptyAsUndefined,
      z.string().regex(/^\d+$/, "must be the numeric WhatsApp Business Account id").optional(),
    ),
    WHATSAPP_DISPLAY_NUMBER: optionalString,
    GRAPH_API_URL: z.preprocess(
      emptyAsUndefined,
      urlWithProtocols(["http:", "https:"], DEFAULT_GRAPH_API_URL)
        .refine((v) => /\/v\d+\.\d+\/?$/.test(v), {
          message: "must end with the Graph API version, e.g. https://graph.facebook.com/v25.0",
        })
        .transform((v) => v.replace(/\/+$/, ""))
        .default(DEFAULT_GRAPH_API_URL),
    ),
    LOG_LEVEL: z.preprocess(
      emptyAsUndefined,
      z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    ),
    DATA_REGION: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^[A-Z]{2}$/, "must be a two-letter region code such as DE")
        .default("DE"),
    ),
    /** Language of automatic replies (greeting, consent question, confirmations) when neither the customer's
     *  message nor their number's country (+49/+43/+41 → German) tells it. */
    DEFAULT_CUSTOMER_LANGUAGE: z.preprocess(emptyAsUndefined, z.enum(["de", "en"]).default("en")),
    /** Where media files live: `local` (MEDIA_DIR, one machine) or `s3` (an S3-compatible bucket shared by all). */
    MEDIA_STORE: z.preprocess(emptyAsUndefined, z.enum(["local", "s3"]).default("local")),
    MEDIA_DIR: z.preprocess(emptyAsUndefined, z.string().default("./data/media")),
    S3_ENDPOINT: z.preprocess(
      emptyAsUndefined,
      urlWithProtocols(["http:", "https:"], "https://s3.example.de").optional(),
    ),
    S3_REGION: z.preprocess(emptyAsUndefined, z.string().default("eu-central-1")),
    S3_BUCKET: optionalString,
    S3_ACCESS_KEY_ID: optionalString,
    S3_SECRET_ACCESS_KEY: optionalString,
    S3_FORCE_PATH_STYLE: z.preprocess(
      emptyAsUndefined,
      z
        .enum(["true", "false"], { message: "must be true or false" })
        .default("true")
        .transform((v) => v === "true"),
    ),
    S3_PREFIX: optionalString,
    /** Upper bound for outbound documents in MB (Meta allows 100; a lower default keeps disk and uploads small). */
    MEDIA_MAX_DOCUMENT_MB: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(100).default(25)),
    /** When the deletion schedules run (cron, UTC; one run across all workers). */
    RETENTION_CRON: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .trim()
        .regex(/^\S+( \S+){4,5}$/, 'must be a cron pattern such as "15 3 * * *" (daily at 03:15 UTC)')
        .default("15 3 * * *"),
    ),
    WORKER_OUTBOUND_CONCURRENCY: z.preprocess(
      emptyAsUndefined,
      z.coerce
        .number({ message: "must be a number" })
        .int("must be a whole number")
        .min(1, "must be at least 1")
        .max(5_000, "must be at most 5000")
        .default(400),
    ),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && !env.SESSION_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["SESSION_SECRET"],
        message: "is required in production (generate one with: openssl rand -hex 32)",
      });
    }
    if (env.NODE_ENV === "production" && !env.ENCRYPTION_KEY) {
      ctx.addIssue({
        code: "custom",
        path: ["ENCRYPTION_KEY"],
        message: "is required in production (generate one with: openssl rand -hex 32 and keep it with your backups)",
      });
    }
    if (env.NODE_ENV === "production" && env.ENCRYPTION_KEY === DEV_ENCRYPTION_KEY) {
      ctx.addIssue({ code: "custom", path: ["ENCRYPTION_KEY"], message: "must not be the public development key" });
    }
    if (env.NODE_ENV === "production" && !env.WHATSAPP_ACCESS_TOKEN) {
      // The simulator's control API can mint correctly signed webhooks: never in production.
      ctx.addIssue({
        code: "custom",
        path: ["WHATSAPP_ACCESS_TOKEN"],
        message:
          "is required in production: without it the Cloud API simulator would stand in for Meta " +
          "(use NODE_ENV=development to try the product with the simulator)",
      });
    }
    if (env.SESSION_IDLE_TIMEOUT > env.SESSION_MAX_AGE) {
      ctx.addIssue({
        code: "custom",
        path: ["SESSION_IDLE_TIMEOUT"],
        message: "must not be longer than SESSION_MAX_AGE",
      });
    }
    if (env.MEDIA_STORE === "s3") {
      for (const key of ["S3_ENDPOINT", "S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const) {
        if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: "is required when MEDIA_STORE=s3" });
      }
    }
    if (env.WHATSAPP_ACCESS_TOKEN) {
      for (const key of ["WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN", "WHATSAPP_PHONE_NUMBER_ID"] as const) {
        if (!env[key]) {
          ctx.addIssue({
            code: "custom",
            path: [key],
            message: "is required when WHATSAPP_ACCESS_TOKEN is set (Meta App Dashboard → WhatsApp → API setup)",
          });
        }
      }
    }
  });

export type RawEnv = z.infer<typeof EnvSchema>;

export interface Env extends RawEnv {
  SESSION_SECRET: string;
  ENCRYPTION_KEY: string;
  API_DOCS: "public" | "admin" | "off";
  /** True when no Meta access token is configured: the Cloud API simulator stands in for Meta. */
  isSimulatorMode: boolean;
}

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/**
 * Docker and Kubernetes secrets arrive as files: `NAME_FILE=/run/secrets/name` sets NAME to the file's content
 * (without its trailing newline). Setting both NAME and NAME_FILE is refused, so nobody wonders which one wins.
 */
export function readSecretFiles(source: Record<string, string | undefined>): Record<string, string | undefined> {
  const result = { ...source };
  const problems: string[] = [];
  for (const [key, file] of Object.entries(source)) {
    if (!key.endsWith("_FILE") || !file) continue;
    const name = key.slice(0, -"_FILE".length);
    if (!(name in EnvSchema.shape)) continue;
    if (source[name]) {
      problems.push(`${name} and ${key} are both set; set only one of them`);
      continue;
    }
    try {
      result[name] = readFileSync(file, "utf8").replace(/\r?\n$/, "");
    } catch (error) {
      problems.push(`${key} names ${file}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
    }
  }
  if (problems.length) throw new EnvError(problems);
  return result;
}

/**
 * Parses the environment once. In simulator mode the WhatsApp secrets that are unset get development values
 * (shared with the simulator, which runs in the same process tree); values that are set are used as given.
 */
export function parseEnv(given: Record<string, string | undefined> = process.env): Env {
  const source = readSecretFiles(given);
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((issue) => `${issue.path.join(".") || "environment"} ${issue.message}`));
  }
  const env = result.data;
  const isSimulatorMode = !env.WHATSAPP_ACCESS_TOKEN;
  const dev = (name: string) => `dev-${name}-${randomBytes(12).toString("hex")}`;
  return {
    ...env,
    SESSION_SECRET: env.SESSION_SECRET ?? randomBytes(32).toString("hex"),
    ENCRYPTION_KEY: env.ENCRYPTION_KEY ?? DEV_ENCRYPTION_KEY,
    API_DOCS: env.API_DOCS ?? (env.NODE_ENV === "production" ? "admin" : "public"),
    WHATSAPP_APP_SECRET: env.WHATSAPP_APP_SECRET ?? (isSimulatorMode ? dev("app-secret") : undefined),
    WHATSAPP_VERIFY_TOKEN: env.WHATSAPP_VERIFY_TOKEN ?? (isSimulatorMode ? dev("verify-token") : undefined),
    WHATSAPP_ACCESS_TOKEN: env.WHATSAPP_ACCESS_TOKEN ?? dev("access-token"),
    WHATSAPP_PHONE_NUMBER_ID: env.WHATSAPP_PHONE_NUMBER_ID ?? (isSimulatorMode ? "100000000000001" : undefined),
    WHATSAPP_BUSINESS_ACCOUNT_ID: env.WHATSAPP_BUSINESS_ACCOUNT_ID ?? (isSimulatorMode ? "200000000000001" : undefined),
    WHATSAPP_DISPLAY_NUMBER: env.WHATSAPP_DISPLAY_NUMBER ?? (isSimulatorMode ? "+49 30 1234567" : undefined),
    GRAPH_API_URL:
      isSimulatorMode && !source.GRAPH_API_URL ? `http://127.0.0.1:${env.SIMULATOR_PORT}/v25.0` : env.GRAPH_API_URL,
    isSimulatorMode,
  };
}
