/**
 * The console under the api's Content-Security-Policy (no inline script): every screen works in Chromium without a
 * single violation, and the policy is really enforced (an injected inline script does not run).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchChromium, makeUser, prepareBrowserTests, signIn, startStack, storeInbound, type Stack } from "./harness";

interface Violation {
  directive: string;
  blocked: string;
}

describe("console under the CSP in Chromium", () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    prepareBrowserTests();
    stack = await startStack();
    await makeUser(stack, "admin@example.com", "admin", ["Support"]);
    const db = stack.t.db;
    const supportId = (await db.team.findUniqueOrThrow({ where: { name: "Support" } })).id;
    const channel = await db.channel.create({
      data: { type: "whatsapp", name: "WhatsApp", externalId: "100000000000001", displayNumber: "+49 30 1234567" },
    });
    await storeInbound(stack, {
      channelId: channel.id,
      teamId: supportId,
      name: "Erika Muster",
      waId: "4915100000001",
      text: "Guten Tag, eine Frage zur Rechnung",
    });
    browser = await launchChromium();
    page = await browser.newPage({ locale: "en-US" });
    // Before any page script: record every violation the browser reports.
    await page.addInitScript(
      "window.__violations = [];" +
        "document.addEventListener('securitypolicyviolation', (e) =>" +
        " window.__violations.push({ directive: e.violatedDirective, blocked: e.blockedURI }));",
    );
    page.on("console", (message) => {
      if (message.type() === "error" && /Content Security Policy/i.test(message.text()))
        consoleErrors.push(message.text());
    });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const violations = () => page.evaluate<Violation[]>("window.__violations");

  it("signs in, opens a conversation and the admin pages without a CSP violation", async () => {
    const response = await page.goto(stack.url);
    const csp = response?.headers()["content-security-policy"] ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");

    await signIn(page, stack.url, "admin@example.com");
    await page.locator('[data-testid="live-state"][data-state="connected"]').waitFor();
    await page.locator("[data-conversation-id]", { hasText: "Erika Muster" }).click();
    await page.getByTestId("conversation-title").getByText("Erika Muster").waitFor();
    await page.goto(`${stack.url}/admin`);
    await page.getByLabel("Team leads also see conversations without a team").waitFor();
    // Styles applied from the stylesheet (a blocked stylesheet would leave the page unstyled).
    expect(await page.evaluate("getComputedStyle(document.body).margin")).toBe("0px");

    expect(await violations()).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it("blocks script injected into the page (the policy is enforced, not only sent)", async () => {
    await page.evaluate(
      "(() => { const s = document.createElement('script'); s.textContent = 'window.__pwned = true'; document.body.appendChild(s); })()",
    );
    await expect.poll(async () => (await violations()).map((v) => v.directive)).toContain("script-src-elem");
    expect(await page.evaluate("window.__pwned === true")).toBe(false);
  });
});
