/**
 * What `pnpm start` and `pnpm inbox serve` do once, before any api or worker runs: migrations, a reachable Redis,
 * the environment's WhatsApp number as a channel and the first admin (when the api runs); and the built console.
 */
import { existsSync } from "node:fs";
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Env } from "@inbox/config";
import { ensureFirstAdmin, provisionWhatsAppChannel } from "@inbox/core";
import type { Logger } from "@inbox/logger";
import { connectDb, connectRedis, migrateDatabase, StartupError } from "./runtime";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const CONSOLE_DIST = path.join(REPO_ROOT, "apps/console/dist");

/** Builds the console once (a fresh clone has no dist/); later starts reuse it. */
export async function ensureConsoleBuilt(log: { info(msg: string): void }): Promise<void> {
  if (existsSync(path.join(CONSOLE_DIST, "index.html"))) return;
  log.info("Building the console (first start only)…");
  // Vite's own CLI from the console package: works wherever `pnpm install` ran, with or without pnpm on PATH.
  const vite = path.join(REPO_ROOT, "apps/console/node_modules/vite/bin/vite.js");
  const build = spawn(process.execPath, [vite, "build"], {
    cwd: path.join(REPO_ROOT, "apps/console"),
    stdio: "inherit",
  });
  const code = await new Promise<number | null>((resolve) => build.on("close", resolve));
  if (code !== 0) throw new StartupError("Building the console failed; see the output above.");
}

export interface Prepared {
  channel: { name: string; externalId: string };
  /** Created now (shown once), or null when users existed already or no api runs here. */
  admin: { email: string; password: string } | null;
}

export async function prepareProduct(env: Env, log: Logger, { withApi }: { withApi: boolean }): Promise<Prepared> {
  const applied = await migrateDatabase(env);
  if (applied.length) log.info({ applied }, "database migrated");
  const db = await connectDb(env);
  try {
    // Fails with one clear line now rather than in a child process later.
    (await connectRedis(env)).disconnect();
    if (!env.WHATSAPP_PHONE_NUMBER_ID) {
      throw new StartupError("WHATSAPP_PHONE_NUMBER_ID is not set (Meta App Dashboard → WhatsApp → API setup).");
    }
    const channel = await provisionWhatsAppChannel(db, {
      phoneNumberId: env.WHATSAPP_PHONE_NUMBER_ID,
      businessAccountId: env.WHATSAPP_BUSINESS_ACCOUNT_ID,
      displayNumber: env.WHATSAPP_DISPLAY_NUMBER,
      dataRegion: env.DATA_REGION,
    });
    const admin = withApi ? await ensureFirstAdmin(db, env.FIRST_ADMIN_EMAIL) : null;
    return { channel, admin };
  } finally {
    await db.$disconnect();
  }
}
