import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { buildApp } from "@inbox/api";
import { parseEnv } from "@inbox/config";
import { createTestDatabase, createTestRedisPrefix, TEST_REDIS_URL } from "@inbox/db/testing";
import { createRedis, JobQueues } from "@inbox/jobs";
import { createLogger } from "@inbox/logger";
import { DIST, launchChromium, makeUser, prepareBrowserTests, signIn, storeInbound, type Stack } from "./harness";

/** A real 1×1 PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

/** The harness's stack, with the media store in a temporary directory. */
async function startStackWithMedia(mediaDir: string): Promise<Stack> {
  const t = await createTestDatabase();
  const redis = createRedis(TEST_REDIS_URL);
  const prefix = createTestRedisPrefix();
  const log = createLogger({ name: "e2e", level: "silent", pretty: false });
  const app = await buildApp({
    env: parseEnv({ DATABASE_URL: t.url, LOG_LEVEL: "silent", MEDIA_DIR: mediaDir }),
    db: t.db,
    pgPool: t.pgPool,
    redis,
    queues: new JobQueues(redis, prefix),
    log,
    clock: () => new Date(),
    consoleDir: DIST,
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  return {
    app,
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
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

describe("composer attachments in Chromium", () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let dir: string;

  beforeAll(async () => {
    prepareBrowserTests();
    dir = await mkdtemp(path.join(tmpdir(), "e2e-attachments-"));
    stack = await startStackWithMedia(path.join(dir, "media"));
    await makeUser(stack, "agent@example.com", "agent", ["Support"]);
    const db = stack.t.db;
    const supportId = (await db.team.findUniqueOrThrow({ where: { name: "Support" } })).id;
    const channelId = (
      await db.channel.create({
        data: { type: "whatsapp", name: "WhatsApp", externalId: "100000000000001", displayNumber: "+49 30 1234567" },
      })
    ).id;
    await storeInbound(stack, {
      channelId,
      teamId: supportId,
      name: "Erika Muster",
      waId: "4915100000001",
      text: "Können Sie mir den Beleg schicken?",
    });
    await writeFile(path.join(dir, "beleg.png"), PNG);
    await writeFile(path.join(dir, "tool.exe"), Buffer.from("MZ\x90\x00\x03\x00\x00\x00 not an image", "latin1"));
    browser = await launchChromium();
    page = await browser.newPage({ locale: "en-US" });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("attaches an image, shows name and size, sends it and shows it in the thread; refuses an unsupported file", async () => {
    await signIn(page, stack.url, "agent@example.com");
    await page.locator("[data-conversation-id]", { hasText: "Erika Muster" }).click();
    await page.locator('[data-testid="message"]', { hasText: "Beleg schicken" }).waitFor();

    // Unsupported content: a clear error, nothing attached.
    await page.locator('[data-testid="attach-input"]').setInputFiles(path.join(dir, "tool.exe"));
    await page.getByRole("alert").filter({ hasText: "WhatsApp does not accept this file type" }).waitFor();
    expect(await page.locator('[data-testid="attachment"]').count()).toBe(0);

    await page.locator('[data-testid="attach-input"]').setInputFiles(path.join(dir, "beleg.png"));
    const chip = page.locator('[data-testid="attachment"]');
    await chip.filter({ hasText: "beleg.png" }).waitFor();
    expect(await chip.textContent()).toContain(`${PNG.length} B`);
    await chip.filter({ hasText: "ready to send" }).waitFor();
    // The emoji picker adds to the caption.
    await page.getByRole("textbox", { name: /Type a message/ }).fill("Hier ist Ihr Beleg ");
    await page.getByRole("button", { name: "Insert emoji" }).click();
    await page.getByRole("button", { name: "👍" }).click();
    await page.getByRole("button", { name: "Send" }).click();

    const sent = page.locator('[data-testid="message"]', { hasText: "Hier ist Ihr Beleg 👍" });
    await sent.waitFor();
    const img = sent.locator("img");
    await img.waitFor();
    await expect
      .poll(() => img.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth))
      .toBe(1);
    expect(await page.locator('[data-testid="attachment"]').count()).toBe(0);
    const stored = await stack.t.db.message.findFirstOrThrow({
      where: { direction: "outbound" },
      include: { media: true },
    });
    expect(stored).toMatchObject({ type: "image", text: "Hier ist Ihr Beleg 👍", status: "queued" });
    expect(stored.media).toHaveLength(1);
    expect(stored.media[0]).toMatchObject({ mimeType: "image/png", sizeBytes: PNG.length, providerMediaId: null });
  });
});
