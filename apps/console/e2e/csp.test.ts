/**
 * The console under the api's Content-Security-Policy (no inline script): every screen works in Chromium without a
 * single violation, and the policy is really enforced (an injected inline script does not run).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "otplib";
import type { Browser, Page } from "playwright-core";
import {
  launchChromium,
  makeUser,
  PASSWORD,
  prepareBrowserTests,
  signIn,
  startStack,
  storeInbound,
  type Stack,
} from "./harness";

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
    page = await watchedPage();
  });

  /** A page in a fresh context (no cookies) that records every CSP violation, from before any page script. */
  async function watchedPage(): Promise<Page> {
    const fresh = await (await browser.newContext({ locale: "en-US" })).newPage();
    await fresh.addInitScript(
      "window.__violations = [];" +
        "document.addEventListener('securitypolicyviolation', (e) =>" +
        " window.__violations.push({ directive: e.violatedDirective, blocked: e.blockedURI }));",
    );
    fresh.on("console", (message) => {
      if (message.type() === "error" && /Content Security Policy/i.test(message.text()))
        consoleErrors.push(message.text());
    });
    return fresh;
  }
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const violations = (on: Page = page) => on.evaluate<Violation[]>("window.__violations");

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

  it("the password change and the two-factor enrolment of a sign-in work under the CSP too", async () => {
    consoleErrors.length = 0; // the test before injected a script on purpose
    const db = stack.t.db;
    // A user whose password an admin chose: the console asks for an own one first.
    const newbie = await makeUser(stack, "newbie@example.com", "agent", ["Support"]);
    await db.user.update({ where: { id: newbie.id }, data: { mustChangePassword: true } });
    const first = await watchedPage();
    await signIn(first, stack.url, "newbie@example.com");
    await first.getByRole("heading", { name: "Set a new password" }).waitFor();
    await first.getByLabel("Current password").fill(PASSWORD);
    await first.getByLabel("New password", { exact: true }).fill("ein neues Passwort");
    await first.getByLabel("Repeat the new password").fill("ein neues Passwort");
    await first.getByRole("button", { name: "Save password" }).click();
    await first.locator('[data-testid="live-state"][data-state="connected"]').waitFor();
    expect(await violations(first)).toEqual([]);

    // Admins require TOTP: a user without it enrols at sign-in, with the key shown and a code from the app.
    await db.setting.create({ data: { key: "security.requireTotp", value: true } });
    try {
      await makeUser(stack, "enrol@example.com", "agent", ["Support"]);
      const enrol = await watchedPage();
      const enrolRequests: string[] = [];
      enrol.on("request", (r) => {
        if (r.url().endsWith("/api/auth/totp/enroll")) enrolRequests.push(r.method());
      });
      await signIn(enrol, stack.url, "enrol@example.com");
      await enrol.getByRole("heading", { name: "Set up two-factor authentication" }).waitFor();
      await enrol.getByTestId("totp-qr").waitFor();
      // One enrolment request per sign-in (the screen used to send it from every render until the answer came).
      expect(enrolRequests).toEqual(["POST"]);
      const secret = await enrol.getByTestId("totp-secret").textContent();
      await enrol.getByLabel("6-digit code from your authenticator app").fill(await generate({ secret: secret! }));
      await enrol.getByRole("button", { name: "Verify" }).click();
      // The recovery codes are shown once before the console opens.
      await enrol.getByTestId("recovery-codes").locator("li").first().waitFor();
      await enrol.getByRole("button", { name: "I have saved them" }).click();
      await enrol.locator('[data-testid="live-state"][data-state="connected"]').waitFor();
      expect(await violations(enrol)).toEqual([]);
    } finally {
      await db.setting.delete({ where: { key: "security.requireTotp" } });
    }
    expect(consoleErrors).toEqual([]);
  });
});
