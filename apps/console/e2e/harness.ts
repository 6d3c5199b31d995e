/** Browser test harness: Debian Chromium, the built console, and the api in-process on a random port. */
import type { AddressInfo } from "node:net";
import { chromium, type Browser, type Page } from "playwright-core";
import { buildApp, type App } from "@inbox/api";
import { parseEnv } from "@inbox/config";
import { createUser } from "@inbox/core";
import { createTestDatabase, createTestRedisPrefix, TEST_REDIS_URL, type TestDatabase } from "@inbox/db/testing";
import { createRedis, JobQueues } from "@inbox/jobs";
import { createLogger, type Logger } from "@inbox/logger";
import { CHROMIUM, CONSOLE_DIST as DIST, ensureChromium, ensureConsoleBuilt } from "../../../tests/browser";

export { DIST };
export const PASSWORD = "correct horse battery";

/**
 * Chromium and the console build are provisioned once by the test run's global setup (tests/global-setup.ts); this
 * repeats the cheap checks for callers outside vitest (bench/console.ts).
 */
export function prepareBrowserTests(): void {
  ensureChromium();
  ensureConsoleBuilt();
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export interface Stack {
  app: App;
  url: string;
  t: TestDatabase;
  prefix: string;
  redis: ReturnType<typeof createRedis>;
  log: Logger;
  close(): Promise<void>;
}

/** `env`: settings beyond the defaults (e.g. GRAPH_API_URL on loopback, so nothing reaches Meta). */
export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const t = await createTestDatabase();
  const redis = createRedis(TEST_REDIS_URL);
  const prefix = createTestRedisPrefix();
  const log = createLogger({ name: "e2e", level: "silent", pretty: false });
  const app = await buildApp({
    env: parseEnv({ DATABASE_URL: t.url, LOG_LEVEL: "silent", ...env }),
    db: t.db,
    pgPool: t.pgPool,
    redis,
    queues: new JobQueues(redis, prefix),
    log,
    clock: () => new Date(),
    consoleDir: DIST,
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    app,
    url,
    t,
    prefix,
    redis,
    log,
    async close() {
      await app.close();
      redis.disconnect();
      await t.drop();
    },
  };
}

export async function makeUser(stack: Stack, email: string, role: "agent" | "lead" | "admin", teams: string[]) {
  return createUser(stack.t.db, { email, password: PASSWORD, role, teams, locale: "en" }, { type: "system" });
}

/** One conversation with one inbound text, like the webhook receiver stores it. */
export async function storeInbound(
  stack: Stack,
  opts: {
    channelId: string;
    teamId: string | null;
    name: string;
    waId: string;
    text: string;
    at?: Date;
    windowClosed?: boolean;
  },
) {
  const db = stack.t.db;
  const at = opts.at ?? new Date();
  const contact = await db.contact.create({
    data: { channelId: opts.channelId, waId: opts.waId, displayName: opts.name },
  });
  const conversation = await db.conversation.create({
    data: {
      channelId: opts.channelId,
      contactId: contact.id,
      activeContactId: contact.id,
      teamId: opts.teamId,
      lastMessageAt: at,
      lastInboundAt: opts.windowClosed ? new Date(at.getTime() - 48 * 3600_000) : at,
      unreadCount: 1,
    },
  });
  const message = await db.message.create({
    data: {
      conversationId: conversation.id,
      channelId: opts.channelId,
      direction: "inbound",
      type: "text",
      text: opts.text,
      status: "received",
      externalId: `wamid.${conversation.id}`,
      createdAt: at,
    },
  });
  return { contact, conversation, message };
}

/** Opens the console in English and submits the login form (the caller waits for what should follow). */
export async function signIn(page: Page, url: string, email: string, password = PASSWORD): Promise<void> {
  await page.goto(url);
  // A string, not a function: this file is also type-checked without the DOM lib (bench/console.ts imports it).
  await page.evaluate('localStorage.setItem("inbox.lang", "en")');
  await page.reload();
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/**
 * Switches the console's language in the top bar's account panel, which closes on any click outside it (so it is
 * shut again by the time a test switches back): open it, choose, and close it with Escape as a user would.
 */
export async function chooseLanguage(page: Page, label: "Language" | "Sprache", language: "de" | "en"): Promise<void> {
  const toggle = page.locator(".account-toggle");
  if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
  await page.getByTestId("account-panel").getByLabel(label).selectOption(language);
  await page.keyboard.press("Escape");
  await page.getByTestId("account-panel").waitFor({ state: "detached" });
}
