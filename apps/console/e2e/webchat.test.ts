import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { createWebchatChannel, type WebchatChannelView } from "@inbox/core";
import { launchChromium, makeUser, prepareBrowserTests, signIn, startStack, type Stack } from "./harness";

/** A company's website on an origin of its own, embedding the widget as admins paste it. */
function startWebsite(snippet: () => string): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(
      `<!doctype html><html lang="de"><head><title>Shop</title></head><body><h1>Unser Shop</h1>${snippet()}</body></html>`,
    );
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as AddressInfo).port })),
  );
}

// Like the other long browser flows: a minute for the whole flow on a loaded CI machine (alone it takes 5–7 s), and
// 15 s for each step, so a step that hangs fails with its locator instead of the test's timeout.
describe("web chat in Chromium: widget on a website, agent in the console", { timeout: 60_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let website: Server;
  /** Allowed: http://localhost:<port>. The same page as http://127.0.0.1:<port> is a foreign origin. */
  let allowedUrl: string;
  let foreignUrl: string;
  let channel: WebchatChannelView;
  let visitorContext: BrowserContext;
  let visitor: Page;
  let agent: Page;

  beforeAll(async () => {
    prepareBrowserTests();
    stack = await startStack();
    await makeUser(stack, "admin@example.com", "admin", []);
    const site = await startWebsite(
      () => `<script src="${stack.url}/widget.js" data-channel="${channel.key}" async></script>`,
    );
    website = site.server;
    allowedUrl = `http://localhost:${site.port}/`;
    foreignUrl = `http://127.0.0.1:${site.port}/`;
    channel = await createWebchatChannel(
      stack.t.db,
      { name: "Shop-Chat", settings: { allowedOrigins: [new URL(allowedUrl).origin] } },
      { type: "system" },
    );
    browser = await launchChromium();
    visitorContext = await browser.newContext({ locale: "de-DE" });
    visitorContext.setDefaultTimeout(15_000);
    visitor = await visitorContext.newPage();
    const agentContext = await browser.newContext({ locale: "en-US" });
    agentContext.setDefaultTimeout(15_000);
    agent = await agentContext.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => website?.close(resolve));
    await stack?.close();
  });

  it("a visitor consents and writes; an agent answers in the console; the visitor sees it live; consent on the contact", async () => {
    await visitor.goto(allowedUrl);
    await visitor.getByRole("button", { name: "Chat öffnen" }).click();
    await visitor.getByText("Ich bin einverstanden").waitFor();
    await visitor.getByText("Hallo! Wie können wir helfen?").waitFor();
    // Without the tick nothing starts.
    await visitor.getByRole("button", { name: "Einverstanden, Chat starten" }).click();
    await visitor.getByRole("alert").getByText("Bitte bestätigen Sie zuerst den Hinweis.").waitFor();
    await visitor.getByRole("checkbox").check();
    await visitor.getByRole("button", { name: "Einverstanden, Chat starten" }).click();

    const box = visitor.getByRole("textbox", { name: "Ihre Nachricht …" });
    // Too long: refused with a clear message, the text stays in the box.
    await box.fill("x".repeat(2001));
    await box.press("Enter");
    await visitor.getByRole("alert").getByText("Die Nachricht ist zu lang: höchstens 2000 Zeichen.").waitFor();
    expect((await box.inputValue()).length).toBe(2001);

    await box.fill("Hallo, wo bleibt meine Bestellung?");
    await box.press("Enter");
    await visitor.locator(".msg.in", { hasText: "Hallo, wo bleibt meine Bestellung?" }).waitFor();

    // The agent: the conversation is in the inbox like any other.
    await signIn(agent, stack.url, "admin@example.com");
    const row = agent.locator("[data-conversation-id]", { hasText: "Hallo, wo bleibt meine Bestellung?" });
    await row.waitFor();
    await row.click();
    await agent.locator('[data-testid="message"]', { hasText: "Hallo, wo bleibt meine Bestellung?" }).waitFor();
    await agent.getByRole("textbox", { name: /Type a message/ }).fill("Sie ist heute unterwegs.");
    await agent.getByRole("button", { name: "Send" }).click();

    // Live on the website, then marked read by the visitor's open chat.
    await visitor.locator(".msg.out", { hasText: "Sie ist heute unterwegs." }).waitFor();
    await expect
      .poll(async () => (await stack.t.db.message.findFirst({ where: { text: "Sie ist heute unterwegs." } }))?.status)
      .toBe("read");

    // The consent with its wording and evidence, on the contact in the console.
    const panel = agent.getByRole("complementary", { name: /Contact/ });
    await panel.getByText("chat widget").waitFor();
    await panel.getByText("Ich bin einverstanden", { exact: false }).waitFor();
    await panel.locator("summary").first().click();
    await panel.getByText(new URL(allowedUrl).origin).waitFor();
    const consent = await stack.t.db.consent.findFirstOrThrow({ where: { source: "widget" } });
    expect(consent).toMatchObject({ purpose: "service", status: "granted", wordingVersion: 1 });

    // A reload keeps the thread (signed token in the page's storage).
    await visitor.reload();
    await visitor.getByRole("button", { name: "Chat öffnen" }).click();
    await visitor.locator(".msg.out", { hasText: "Sie ist heute unterwegs." }).waitFor();
    await visitor.locator(".msg.in", { hasText: "Hallo, wo bleibt meine Bestellung?" }).waitFor();
  });

  it("the widget on a website that is not allowed says so and gets nothing", async () => {
    const page = await visitorContext.newPage();
    await page.goto(foreignUrl);
    await page.getByRole("button", { name: "Chat öffnen" }).click();
    await page.getByRole("alert").getByText("Der Chat ist auf dieser Website nicht freigeschaltet.").waitFor();
    expect(await page.getByText("Ich bin einverstanden").count()).toBe(0);
    await page.close();
  });

  it("a forged token in the page's storage is refused and replaced by a fresh session", async () => {
    // A context of its own: no valid token from the first test that a load could write back meanwhile.
    const context = await browser.newContext({ locale: "de-DE" });
    const page = await context.newPage();
    await page.goto(allowedUrl);
    await page.evaluate(`localStorage.setItem("inbox-webchat:${channel.key}", "forged.token")`);
    await page.reload();
    await page.getByRole("button", { name: "Chat öffnen" }).click();
    // A new visitor: consent again, no foreign thread.
    await page.getByText("Ich bin einverstanden").waitFor();
    expect(await page.locator(".msg.out").count()).toBe(0);
    expect(await page.evaluate(`localStorage.getItem("inbox-webchat:${channel.key}")`)).not.toBe("forged.token");
    await context.close();
  });
});
