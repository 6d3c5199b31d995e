import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startApi } from "@inbox/api";
import { ensureFirstAdmin, provisionWhatsAppChannel } from "@inbox/core";
import { createPgPool } from "@inbox/db";
import { createLogger } from "@inbox/logger";
import { startSimulatorForProduct } from "@inbox/simulator";
import { OutboxRelay } from "@inbox/jobs";
import { startWorker } from "@inbox/worker";
import { connectDb, connectRedis, createQueues, loadEnv, migrateDatabase, StartupError } from "../runtime";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
export const CONSOLE_DIST = path.join(REPO_ROOT, "apps/console/dist");

/** Builds the console once (a fresh clone has no dist/); later starts reuse it. */
export function ensureConsoleBuilt(log: { info(msg: string): void }): void {
  if (existsSync(path.join(CONSOLE_DIST, "index.html"))) return;
  log.info("Building the console (first start only)…");
  // Vite's own CLI from the console package: works wherever `pnpm install` ran, with or without pnpm on PATH.
  const vite = path.join(REPO_ROOT, "apps/console/node_modules/vite/bin/vite.js");
  const result = spawnSync(process.execPath, [vite, "build"], {
    cwd: path.join(REPO_ROOT, "apps/console"),
    stdio: "inherit",
  });
  if (result.status !== 0) throw new StartupError("Building the console failed; see the output above.");
}

export type Role = "api" | "worker";

/**
 * `pnpm start`: everything in one process (api, worker, simulator in simulator mode).
 * `pnpm inbox serve api|worker`: one role, as the containers run it.
 */
export async function startCommand(roles: Role[] = ["api", "worker"]): Promise<void> {
  const env = loadEnv();
  const log = createLogger({ name: "inbox", level: env.LOG_LEVEL });

  const applied = await migrateDatabase(env);
  if (applied.length) log.info({ applied }, "database migrated");
  const db = await connectDb(env);
  const redis = await connectRedis(env);
  const queues = createQueues(redis);

  if (!env.WHATSAPP_PHONE_NUMBER_ID) {
    throw new StartupError("WHATSAPP_PHONE_NUMBER_ID is not set (Meta App Dashboard → WhatsApp → API setup).");
  }
  const channel = await provisionWhatsAppChannel(db, {
    phoneNumberId: env.WHATSAPP_PHONE_NUMBER_ID,
    businessAccountId: env.WHATSAPP_BUSINESS_ACCOUNT_ID,
    displayNumber: env.WHATSAPP_DISPLAY_NUMBER,
    dataRegion: env.DATA_REGION,
  });
  const admin = roles.includes("api") ? await ensureFirstAdmin(db) : null;

  const closers: (() => Promise<void>)[] = [];
  const isAllInOne = roles.includes("api") && roles.includes("worker");
  const simulatorNote = env.isSimulatorMode && isAllInOne ? await startSimulatorIfAvailable(env, closers) : null;

  // The hot paths' plain pg pool next to Prisma's: the receiver keeps up to 4 connections busy (two delivery runs,
  // live reads), the worker up to 8 (claims, marks and records of sends, two each, and its outbox relay).
  const pgPool = createPgPool(env.DATABASE_URL, {
    max: (roles.includes("api") ? 4 : 0) + (roles.includes("worker") ? 8 : 0),
  });
  if (roles.includes("worker")) {
    const worker = await startWorker({ env, db, pgPool, redis, queues, log: log.child({ component: "worker" }) });
    closers.push(() => worker.close());
  }
  if (roles.includes("api")) {
    ensureConsoleBuilt({ info: (m) => log.info(m) });
    // The api drains the outbox right after each commit that wrote jobs, instead of waiting for a poll.
    const relay = new OutboxRelay({ db, pool: pgPool }, queues, log.child({ component: "outbox" }));
    relay.start();
    const api = await startApi(
      {
        env,
        db,
        pgPool,
        redis,
        queues,
        log: log.child({ component: "api" }),
        consoleDir: CONSOLE_DIST,
        onOutboxWritten: relay.poke,
      },
      { port: env.PORT },
    );
    closers.unshift(
      () => api.close(),
      () => relay.stop(),
    );
  }
  closers.push(() => pgPool.end());

  const lines = [
    "",
    `  WhatsApp Inbox is running (${roles.join(" + ")}).`,
    `  Console        ${env.PUBLIC_URL}`,
    `  API docs       ${env.PUBLIC_URL}/api/docs`,
    `  Webhook        ${env.PUBLIC_URL}/webhooks/whatsapp`,
    `  Channel        ${channel.name} (phone number id ${channel.externalId}, data region ${env.DATA_REGION})`,
  ];
  if (simulatorNote) lines.push(...simulatorNote);
  if (admin) {
    lines.push(
      "",
      "  First admin created — note the password, it is shown only once:",
      `    e-mail    ${admin.email}`,
      `    password  ${admin.password}`,
    );
  }
  lines.push("", "  Press Ctrl-C to stop.", "");
  console.log(lines.join("\n"));
  if (admin) {
    // Later log lines must not bury the one-time password: say again, briefly, where it is.
    const printedAt = new Date().toLocaleTimeString();
    setTimeout(
      () =>
        console.log(
          `\n  Reminder: the first admin (${admin.email}) and their password are in the start banner above, printed at ${printedAt}. Console: ${env.PUBLIC_URL}\n`,
        ),
      30_000,
    ).unref();
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    for (const close of closers) await close().catch((err: unknown) => log.error({ err }, "error while closing"));
    await queues.close();
    redis.disconnect();
    await db.$disconnect();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

/** In simulator mode the Cloud API simulator stands in for Meta: same token and app secret as the product. */
async function startSimulatorIfAvailable(
  env: ReturnType<typeof loadEnv>,
  closers: (() => Promise<void>)[],
): Promise<string[]> {
  // All in one process tree: deliver straight to this api's port (PUBLIC_URL may be a proxy not reachable from here).
  const simulator = await startSimulatorForProduct(env, {
    webhookUrl: `http://127.0.0.1:${env.PORT}/webhooks/whatsapp`,
  }).catch((error: unknown) => {
    throw new StartupError(
      `Cannot start the Cloud API simulator on port ${env.SIMULATOR_PORT} (${error instanceof Error ? error.message : String(error)}). ` +
        "Free the port or set SIMULATOR_PORT.",
    );
  });
  closers.push(() => simulator.close());
  return [
    "",
    "  Meta credentials are missing (WHATSAPP_ACCESS_TOKEN unset): the Cloud API simulator stands in for Meta.",
    `  Simulator      ${simulator.url}  (Graph API ${env.GRAPH_API_URL})`,
    `  Customer phone ${simulator.phoneUrl}  ← type as a customer here`,
  ];
}
