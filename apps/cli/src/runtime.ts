import { createDb, describeDatabaseError, ensureDatabase, pingDatabase, redactUrl, type Db } from "@inbox/db";
import { applyMigrations } from "@inbox/db/migrate";
import { EnvError, parseEnv, type Env } from "@inbox/config";
import { createSecretBox, encryptStoredSecrets } from "@inbox/core";
import { createRedis, JobQueues, redisOptionsFor } from "@inbox/jobs";
import type { Redis } from "ioredis";
import { StartupError } from "./startup-error";

export { StartupError };

export function loadEnv(): Env {
  try {
    return parseEnv(process.env);
  } catch (error) {
    if (error instanceof EnvError) throw new StartupError(`${error.message}\nSee .env.example for every setting.`);
    throw error;
  }
}

/** Applies pending migrations, then brings stored secrets to the current ENCRYPTION_KEY (see secureStoredSecrets). */
export async function migrateDatabase(env: Env): Promise<string[]> {
  let applied: string[];
  try {
    // Migrations hold a session-level advisory lock: through PgBouncer in transaction mode they need a direct URL.
    const url = env.DATABASE_DIRECT_URL ?? env.DATABASE_URL;
    await ensureDatabase(url);
    applied = await applyMigrations(url);
  } catch (error) {
    throw new StartupError(describeDatabaseError(error, env.DATABASE_DIRECT_URL ?? env.DATABASE_URL));
  }
  await secureStoredSecrets(env);
  return applied;
}

/**
 * The data step of the migrations that SQL cannot do (the key is in the environment): encrypts secrets stored in plain
 * text and re-encrypts those of a former key (ENCRYPTION_KEY_PREVIOUS) — the rotation step. Refuses to go on when a
 * stored secret was written with a key that is not configured.
 */
async function secureStoredSecrets(env: Env): Promise<void> {
  const db = createDb(env.DATABASE_URL);
  try {
    const box = createSecretBox(env);
    const report = await encryptStoredSecrets(db, box);
    if (report.encrypted || report.reencrypted) {
      console.log(
        `Stored secrets: ${report.encrypted} encrypted, ${report.reencrypted} re-encrypted with key ${box.keyId}.`,
      );
    }
    if (report.unreadableKeyIds.length) {
      throw new StartupError(
        `Some stored secrets were encrypted with a key that is not configured (key id ${report.unreadableKeyIds.join(", ")}). ` +
          "Set that key as ENCRYPTION_KEY_PREVIOUS (or ENCRYPTION_KEY); see docs/security.md, key rotation.",
      );
    }
  } finally {
    await db.$disconnect();
  }
}

export async function connectDb(env: Env): Promise<Db> {
  const db = createDb(env.DATABASE_URL);
  try {
    await pingDatabase(db);
  } catch (error) {
    await db.$disconnect();
    throw new StartupError(describeDatabaseError(error, env.DATABASE_URL));
  }
  return db;
}

/** Connects to Redis or fails with one line after a few seconds (instead of retrying forever). */
export async function connectRedis(env: Env): Promise<Redis> {
  const redis = createRedis(env.REDIS_URL, {
    ...redisOptionsFor(env),
    lazyConnect: true,
    retryStrategy: () => null,
    connectTimeout: 3_000,
  });
  redis.on("error", () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new StartupError(
      `Cannot reach Redis at ${redactUrl(env.REDIS_URL)} (${error instanceof Error ? error.message : String(error)}). ` +
        "Start it (docker compose up -d redis) or set REDIS_URL.",
    );
  }
  redis.disconnect();
  // The long-lived connection reconnects on its own after transient outages.
  const live = createRedis(env.REDIS_URL, redisOptionsFor(env));
  live.on("error", () => undefined);
  return live;
}

export function createQueues(redis: Redis): JobQueues {
  return new JobQueues(redis);
}

/** Runs a command, turning StartupError into one clear line and exit code 1. */
export async function runCommand(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof StartupError) {
      console.error(`✖ ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
