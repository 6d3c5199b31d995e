import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEV_ENCRYPTION_KEY, EnvError, parseEnv } from "./env";

describe("parseEnv", () => {
  it("applies the contract's defaults and simulator mode without Meta credentials", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBe("postgresql://postgres:postgres@127.0.0.1:5432/inbox");
    expect(env.REDIS_URL).toBe("redis://127.0.0.1:6379");
    expect(env.PORT).toBe(3000);
    expect(env.SIMULATOR_PORT).toBe(3001);
    expect(env.DATA_REGION).toBe("DE");
    expect(env.isSimulatorMode).toBe(true);
    expect(env.GRAPH_API_URL).toBe("http://127.0.0.1:3001/v25.0");
    expect(env.SESSION_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(env.WHATSAPP_APP_SECRET).toMatch(/^dev-app-secret-/);
    expect(env.WORKER_OUTBOUND_CONCURRENCY).toBe(400);
    expect(env.DEFAULT_CUSTOMER_LANGUAGE).toBe("en");
    expect(parseEnv({ DEFAULT_CUSTOMER_LANGUAGE: "de" }).DEFAULT_CUSTOMER_LANGUAGE).toBe("de");
  });

  it("uses WhatsApp values that are set, even in simulator mode", () => {
    const env = parseEnv({ WHATSAPP_APP_SECRET: "s3cret", WHATSAPP_PHONE_NUMBER_ID: "123", SIMULATOR_PORT: "4001" });
    expect(env.WHATSAPP_APP_SECRET).toBe("s3cret");
    expect(env.WHATSAPP_PHONE_NUMBER_ID).toBe("123");
    expect(env.GRAPH_API_URL).toBe("http://127.0.0.1:4001/v25.0");
  });

  it("names each bad variable and what is wrong with it", () => {
    let error: unknown;
    try {
      parseEnv({
        DATABASE_URL: "mysql://x",
        PORT: "abc",
        REDIS_URL: "nope",
        SESSION_SECRET: "short",
        WORKER_OUTBOUND_CONCURRENCY: "0",
        DEFAULT_CUSTOMER_LANGUAGE: "fr",
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    const problems = (error as EnvError).problems.join("\n");
    expect(problems).toMatch(/DATABASE_URL must be a postgresql: or postgres: URL/);
    expect(problems).toMatch(/PORT must be a number/);
    expect(problems).toMatch(/REDIS_URL must be a redis: or rediss: URL/);
    expect(problems).toMatch(/SESSION_SECRET must be at least 32 characters/);
    expect(problems).toMatch(/WORKER_OUTBOUND_CONCURRENCY must be at least 1/);
    expect(problems).toMatch(/DEFAULT_CUSTOMER_LANGUAGE/);
  });

  it("refuses production without a session secret and Meta mode without its secrets", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(/SESSION_SECRET is required in production/);
    expect(() => parseEnv({ WHATSAPP_ACCESS_TOKEN: "EAAB" })).toThrow(/WHATSAPP_APP_SECRET is required/);
  });

  const meta = {
    WHATSAPP_ACCESS_TOKEN: "EAAB",
    WHATSAPP_APP_SECRET: "app-secret",
    WHATSAPP_VERIFY_TOKEN: "verify",
    WHATSAPP_PHONE_NUMBER_ID: "123",
  };
  const production = {
    ...meta,
    NODE_ENV: "production",
    SESSION_SECRET: "s".repeat(32),
    ENCRYPTION_KEY: "k".repeat(64),
  };

  it("refuses simulator mode in production: the simulator could mint signed webhooks", () => {
    expect(() => parseEnv({ ...production, WHATSAPP_ACCESS_TOKEN: "" })).toThrow(
      /WHATSAPP_ACCESS_TOKEN is required in production/,
    );
    expect(parseEnv(production).isSimulatorMode).toBe(false);
  });

  it("requires its own encryption key in production; development uses the fixed public one", () => {
    expect(() => parseEnv({ ...production, ENCRYPTION_KEY: "" })).toThrow(/ENCRYPTION_KEY is required in production/);
    expect(() => parseEnv({ ...production, ENCRYPTION_KEY: DEV_ENCRYPTION_KEY })).toThrow(
      /ENCRYPTION_KEY must not be the public development key/,
    );
    expect(() => parseEnv({ ENCRYPTION_KEY: "short" })).toThrow(/ENCRYPTION_KEY must be at least 32 characters/);
    expect(parseEnv({}).ENCRYPTION_KEY).toBe(DEV_ENCRYPTION_KEY);
    expect(
      parseEnv({ ENCRYPTION_KEY_PREVIOUS: ` ${"a".repeat(32)} , ${"b".repeat(40)}` }).ENCRYPTION_KEY_PREVIOUS,
    ).toEqual(["a".repeat(32), "b".repeat(40)]);
    expect(() => parseEnv({ ENCRYPTION_KEY_PREVIOUS: "old" })).toThrow(/ENCRYPTION_KEY_PREVIOUS/);
  });

  it("trusts no proxy by default, and never every proxy", () => {
    expect(parseEnv({}).TRUST_PROXY).toBe(false);
    expect(parseEnv({ TRUST_PROXY: "1" }).TRUST_PROXY).toBe(1);
    expect(parseEnv({ TRUST_PROXY: "127.0.0.1, 10.0.0.0/8,loopback,::1" }).TRUST_PROXY).toEqual([
      "127.0.0.1",
      "10.0.0.0/8",
      "loopback",
      "::1",
    ]);
    expect(() => parseEnv({ TRUST_PROXY: "true" })).toThrow(/TRUST_PROXY must not be true/);
    expect(() => parseEnv({ TRUST_PROXY: "proxy.local,10.0.0.0/33" })).toThrow(
      /TRUST_PROXY must be false, a hop count, or IP addresses \/ CIDR ranges \(not proxy.local, 10.0.0.0\/33\)/,
    );
  });

  it("reads session lifetimes as durations, idle within the absolute one", () => {
    const env = parseEnv({});
    expect(env.SESSION_IDLE_TIMEOUT).toBe(12 * 3_600_000);
    expect(env.SESSION_MAX_AGE).toBe(7 * 86_400_000);
    expect(parseEnv({ SESSION_IDLE_TIMEOUT: "30m", SESSION_MAX_AGE: "10h" })).toMatchObject({
      SESSION_IDLE_TIMEOUT: 30 * 60_000,
      SESSION_MAX_AGE: 10 * 3_600_000,
    });
    expect(() => parseEnv({ SESSION_IDLE_TIMEOUT: "12 hours" })).toThrow(
      /SESSION_IDLE_TIMEOUT must be a duration such as 30m, 12h or 7d/,
    );
    expect(() => parseEnv({ SESSION_IDLE_TIMEOUT: "1m" })).toThrow(/SESSION_IDLE_TIMEOUT must be at least 5m/);
    expect(() => parseEnv({ SESSION_IDLE_TIMEOUT: "2d", SESSION_MAX_AGE: "1d" })).toThrow(
      /SESSION_IDLE_TIMEOUT must not be longer than SESSION_MAX_AGE/,
    );
  });

  it("keeps the API docs public in development and for admins in production, unless told otherwise", () => {
    expect(parseEnv({}).API_DOCS).toBe("public");
    expect(parseEnv(production).API_DOCS).toBe("admin");
    expect(parseEnv({ ...production, API_DOCS: "off" }).API_DOCS).toBe("off");
    expect(parseEnv({ FIRST_ADMIN_EMAIL: "Chef@Firma.de" }).FIRST_ADMIN_EMAIL).toBe("chef@firma.de");
    expect(() => parseEnv({ FIRST_ADMIN_EMAIL: "chef" })).toThrow(/FIRST_ADMIN_EMAIL must be an e-mail address/);
  });

  it("names every S3 setting that MEDIA_STORE=s3 needs, and parses the path-style flag", () => {
    expect(() => parseEnv({ MEDIA_STORE: "s3", S3_BUCKET: "media" })).toThrow(
      /S3_ENDPOINT is required when MEDIA_STORE=s3[\s\S]*S3_ACCESS_KEY_ID is required/,
    );
    expect(() => parseEnv({ MEDIA_STORE: "disk" })).toThrow(/MEDIA_STORE/);
    const env = parseEnv({
      MEDIA_STORE: "s3",
      S3_ENDPOINT: "https://s3.example.de",
      S3_BUCKET: "media",
      S3_ACCESS_KEY_ID: "id",
      S3_SECRET_ACCESS_KEY: "secret",
      S3_FORCE_PATH_STYLE: "false",
    });
    expect(env.S3_FORCE_PATH_STYLE).toBe(false);
    expect(parseEnv({}).MEDIA_STORE).toBe("local");
  });

  it("reads Redis Sentinel addresses as host:port pairs and names a malformed list", () => {
    expect(parseEnv({ REDIS_SENTINELS: "s1:26379, s2.example.de:26380" }).REDIS_SENTINELS).toEqual([
      { host: "s1", port: 26379 },
      { host: "s2.example.de", port: 26380 },
    ]);
    expect(() => parseEnv({ REDIS_SENTINELS: "s1" })).toThrow(/REDIS_SENTINELS must be host:port/);
    expect(parseEnv({}).REDIS_SENTINELS).toBeUndefined();
  });

  it("reads NAME_FILE secrets (Docker and Kubernetes secrets), and refuses both or an unreadable file", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "secrets-"));
    const file = path.join(dir, "session_secret");
    writeFileSync(file, `${"s".repeat(40)}\n`);
    expect(parseEnv({ SESSION_SECRET_FILE: file }).SESSION_SECRET).toBe("s".repeat(40));
    expect(() => parseEnv({ SESSION_SECRET_FILE: file, SESSION_SECRET: "x".repeat(40) })).toThrow(
      /SESSION_SECRET and SESSION_SECRET_FILE are both set/,
    );
    expect(() => parseEnv({ WHATSAPP_APP_SECRET_FILE: path.join(dir, "missing") })).toThrow(
      /WHATSAPP_APP_SECRET_FILE names .* which cannot be read \(ENOENT\)/,
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it("pins the Graph API version and strips a trailing slash", () => {
    expect(
      parseEnv({
        GRAPH_API_URL: "https://graph.facebook.com/v26.0/",
        WHATSAPP_ACCESS_TOKEN: "t",
        WHATSAPP_APP_SECRET: "a",
        WHATSAPP_VERIFY_TOKEN: "v",
        WHATSAPP_PHONE_NUMBER_ID: "1",
      }).GRAPH_API_URL,
    ).toBe("https://graph.facebook.com/v26.0");
    expect(() => parseEnv({ GRAPH_API_URL: "https://graph.facebook.com" })).toThrow(
      /must end with the Graph API version/,
    );
  });
});
