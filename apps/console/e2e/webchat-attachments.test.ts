/**
 * A web chat visitor attaches an image in the widget (real file input, upload over multipart); the agent sees it
 * live in the console and it loads through /api/media/:id; a file whose bytes are not an accepted type is refused
 * with the visitor's-language message.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { createWebchatChannel, type WebchatChannelView } from "@inbox/core";
import { launchChromium, makeUser, prepareBrowserTests, signIn, startStack, type Stack } from "./harness";

/** A real 1×1 PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

function startWebsite(snippet: () => string): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html lang="de"><head><title>Shop</title></head><body>${snippet()}</body></html>`);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as AddressInfo).port })),
  );
}

describe("web chat attachments in Chromium", () => {
  let stack: Stack;
  let browser: Browser;
  let website: Server;
  let siteUrl: string;
  let channel: WebchatChannelView;
  let mediaDir: string;
  let visitor: Page;
  let agent: Page;

  beforeAll(async () => {
    prepareBrowserTests();
    mediaDir = await mkdtemp(path.join(tmpdir(), "e2e-webchat-media-"));
    stack = await startStack({ MEDIA_DIR: mediaDir });
    await makeUser(stack, "admin@example.com", "admin", []);
    const site = await startWebsite(
      () => `<script src="${stack.url}/widget.js" data-channel="${channel.key}" async></script>`,
    );
    website = site.server;
    siteUrl = `http://localhost:${site.port}/`;
    channel = await createWebchatChannel(
      stack.t.db,
      { name: "Shop-Chat", settings: { allowedOrigins: [new URL(siteUrl).origin] } },
      { type: "system" },
    );
    browser = await launchChromium();
    visitor = await (await browser.newContext({ locale: "de-DE" })).newPage();
    agent = await (await browser.newContext({ locale: "en-US" })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => website?.close(resolve));
    await stack?.close();
    if (mediaDir) await rm(mediaDir, { recursive: true, force: true });
  });

  it("a visitor sends an image that the agent sees live; a disguised file is refused in German", async () => {
    await visitor.goto(siteUrl);
    await visitor.getByRole("button", { name: "Chat öffnen" }).click();
    await visitor.getByRole("checkbox").check();
    await visitor.getByRole("button", { name: "Einverstanden, Chat starten" }).click();
    const box = visitor.getByRole("textbox", { name: "Ihre Nachricht …" });
    await box.fill("Hier ist ein Foto vom Schaden.");
    await box.press("Enter");
    await visitor.locator(".msg.in", { hasText: "Hier ist ein Foto vom Schaden." }).waitFor();

    // The agent has the conversation open before the image comes.
    await signIn(agent, stack.url, "admin@example.com");
    const row = agent.locator("[data-conversation-id]", { hasText: "Hier ist ein Foto vom Schaden." });
    await row.waitFor();
    await row.click();
    await agent.locator('[data-testid="message"]', { hasText: "Hier ist ein Foto vom Schaden." }).waitFor();

    // The attach button is labelled; the file goes through the widget's file input.
    await visitor.getByRole("button", { name: "Datei anhängen (Bild, PDF oder Text)" }).waitFor();
    await visitor
      .locator('input[type="file"]')
      .setInputFiles({ name: "schaden.png", mimeType: "image/png", buffer: PNG });
    const thumb = visitor.locator(".msg.in img.thumb");
    await thumb.waitFor();
    expect(await thumb.getAttribute("alt")).toBe("schaden.png");

    // Live in the console, loaded through /api/media/:id.
    const image = agent.locator('[data-testid="message"] img');
    await image.waitFor();
    expect(await image.getAttribute("src")).toMatch(/^\/api\/media\/[0-9a-f-]{36}$/);
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
    const stored = await stack.t.db.message.findFirstOrThrow({ where: { type: "image" }, include: { media: true } });
    expect(stored).toMatchObject({ direction: "inbound" });
    expect(stored.media[0]).toMatchObject({ mimeType: "image/png", filename: "schaden.png", status: "stored" });

    // A page disguised as an image: the server reads the bytes and refuses; the visitor reads why, in German.
    await visitor.locator('input[type="file"]').setInputFiles({
      name: "bild.png",
      mimeType: "image/png",
      buffer: Buffer.from("<html><script>alert(1)</script></html>"),
    });
    await visitor.getByRole("alert").getByText("Dieser Dateityp geht hier nicht.", { exact: false }).waitFor();
    expect(await stack.t.db.mediaAsset.count()).toBe(1);
  });
});
