import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import AxeBuilder from "@axe-core/playwright";
import { generate } from "otplib";
import { verifyPassword } from "@inbox/core";
import { launchChromium, makeUser, PASSWORD, prepareBrowserTests, signIn, startStack, type Stack } from "./harness";

const inboxReady = (page: Page) => page.locator('[data-testid="live-state"][data-state="connected"]').waitFor();
const signOut = async (page: Page) => {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
};
const nowSeconds = (offset = 0) => Math.floor(Date.now() / 1000) + offset;

/** Issue 16: 2FA for everyone from the account page, recovery codes, and the admin's view and reset. */
describe("account: two-factor authentication in Chromium", () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let secret: string;
  let recoveryCodes: string[];
  const enrollRequests: string[] = [];

  beforeAll(async () => {
    prepareBrowserTests();
    stack = await startStack();
    await makeUser(stack, "agent@example.com", "agent", ["Support"]);
    await makeUser(stack, "admin@example.com", "admin", []);
    browser = await launchChromium();
    page = await browser.newPage({ locale: "en-US" });
    page.on("request", (r) => {
      if (r.url().endsWith("/api/auth/totp/enroll")) enrollRequests.push(r.method());
    });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it("a user turns on 2FA: QR code and key, a code confirms, the recovery codes are shown once", async () => {
    await signIn(page, stack.url, "agent@example.com");
    await inboxReady(page);
    await page.getByRole("link", { name: "Account" }).click();
    await page.getByRole("heading", { name: "Your account" }).waitFor();
    expect(await page.getByTestId("totp-status").getAttribute("data-enabled")).toBe("false");

    await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
    // A wrong password is refused with a clear text.
    await page.getByLabel("Your password").fill("not my password");
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("alert").getByText("The password is wrong.").waitFor();
    await page.getByLabel("Your password").fill(PASSWORD);
    // A double click sends one request (the server would answer a second with the same secret anyway).
    await page.getByRole("button", { name: "Continue" }).dblclick();
    const qr = page.getByTestId("totp-qr");
    await qr.waitFor();
    expect(await qr.getAttribute("src")).toMatch(/^data:image\/png;base64,/);
    secret = (await page.getByTestId("totp-secret").textContent())!.trim();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(enrollRequests).toEqual(["POST", "POST"]); // the wrong password's and the right one's
    const user = await stack.t.db.user.findUniqueOrThrow({ where: { email: "agent@example.com" } });
    expect(user.totpEnabledAt).toBeNull();

    await page.getByLabel("6-digit code from the app").fill("000000");
    await page.getByRole("button", { name: "Turn on" }).click();
    await page.getByRole("alert").getByText("The code is not valid").waitFor();
    await page.getByLabel("6-digit code from the app").fill(await generate({ secret, epoch: nowSeconds() }));
    await page.getByRole("button", { name: "Turn on" }).click();
    const list = page.getByTestId("recovery-codes").locator("li");
    await list.first().waitFor();
    recoveryCodes = (await list.allTextContents()).map((c) => c.trim());
    expect(recoveryCodes).toHaveLength(10);
    expect(recoveryCodes[0]).toMatch(/^[a-z0-9]{5}-[a-z0-9]{5}$/);
    // Download gives the same codes as a file.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download" }).click(),
    ]);
    const file = await download.createReadStream();
    let content = "";
    for await (const chunk of file) content += String(chunk);
    expect(content).toContain(recoveryCodes[9]);

    await page.getByRole("button", { name: "I have saved them" }).click();
    expect(await page.getByTestId("recovery-codes").count()).toBe(0);
    await expect.poll(() => page.getByTestId("totp-status").getAttribute("data-enabled")).toBe("true");
    await expect.poll(() => page.getByTestId("recovery-left").textContent()).toContain("10");
    expect(
      (await stack.t.db.user.findUniqueOrThrow({ where: { email: "agent@example.com" } })).totpEnabledAt,
    ).not.toBeNull();
  });

  it("signs in with a TOTP code after the password", async () => {
    await signOut(page);
    await signIn(page, stack.url, "agent@example.com");
    await page.getByRole("heading", { name: "Two-factor authentication" }).waitFor();
    // The next time step's code: the one that confirmed enrolment is used up.
    await page
      .getByLabel("6-digit code from your authenticator app")
      .fill(await generate({ secret, epoch: nowSeconds(30) }));
    await page.getByRole("button", { name: "Verify" }).click();
    await inboxReady(page);
  });

  it("signs in with a recovery code instead, which works once", async () => {
    await signOut(page);
    await signIn(page, stack.url, "agent@example.com");
    await page.getByRole("button", { name: "Use a recovery code instead" }).click();
    await page.getByLabel("Recovery code").fill(recoveryCodes[0]!);
    await page.getByRole("button", { name: "Verify" }).click();
    await inboxReady(page);

    await signOut(page);
    await signIn(page, stack.url, "agent@example.com");
    await page.getByRole("button", { name: "Use a recovery code instead" }).click();
    await page.getByLabel("Recovery code").fill(recoveryCodes[0]!);
    await page.getByRole("button", { name: "Verify" }).click();
    await page.getByRole("alert").getByText("The code is not valid.").waitFor();
    // Another one still works; the account page counts what is left.
    await page.getByLabel("Recovery code").fill(recoveryCodes[1]!);
    await page.getByRole("button", { name: "Verify" }).click();
    await inboxReady(page);
    await page.getByRole("link", { name: "Account" }).click();
    await expect.poll(() => page.getByTestId("recovery-left").textContent()).toContain("8");
  });

  it("an admin sees who has 2FA and resets it after confirming; the user then signs in with the password", async () => {
    const admin = await browser.newPage({ locale: "en-US" });
    await signIn(admin, stack.url, "admin@example.com");
    await inboxReady(admin);
    await admin.getByRole("link", { name: "Admin" }).click();
    const row = admin.locator('tr[data-user-email="agent@example.com"]');
    await expect.poll(() => row.getByTestId("user-totp").getAttribute("data-enabled")).toBe("true");
    expect(await row.getByTestId("user-totp").textContent()).toBe("On");
    expect(await admin.locator('tr[data-user-email="admin@example.com"]').getByTestId("user-totp").textContent()).toBe(
      "Off",
    );

    await row.getByRole("button", { name: "Reset 2FA" }).click();
    const dialog = row.getByRole("alertdialog");
    await dialog.getByText("Reset two-factor authentication of agent@example.com?").waitFor();
    // Cancel leaves it as it is.
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect(
      (await stack.t.db.user.findUniqueOrThrow({ where: { email: "agent@example.com" } })).totpEnabledAt,
    ).not.toBeNull();
    await row.getByRole("button", { name: "Reset 2FA" }).click();
    await row.getByRole("alertdialog").getByRole("button", { name: "Reset", exact: true }).click();
    await admin.getByRole("status").getByText("Two-factor authentication of agent@example.com was reset.").waitFor();
    await expect.poll(() => row.getByTestId("user-totp").getAttribute("data-enabled")).toBe("false");
    await admin.close();

    // The reset ended the agent's sessions; the password alone signs in now.
    await page.goto(stack.url);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await signIn(page, stack.url, "agent@example.com");
    await inboxReady(page);
  });

  it("the admin creates a user with a name", async () => {
    const admin = await browser.newPage({ locale: "en-US" });
    await signIn(admin, stack.url, "admin@example.com");
    await admin.getByRole("link", { name: "Admin" }).click();
    const form = admin.getByRole("form", { name: "New user" });
    await form.getByLabel("Name").fill("Erika Beispiel");
    await form.getByLabel("E-mail").fill("erika@example.com");
    await form.getByLabel("Initial password").fill("ein erstes Passwort");
    await form.getByLabel("Role").selectOption("lead");
    await form.getByRole("button", { name: "Create user" }).click();
    await admin.getByRole("status").getByText("User erika@example.com created.").waitFor();
    await admin.locator('tr[data-user-email="erika@example.com"]').getByText("Erika Beispiel").waitFor();
    expect(await stack.t.db.user.findUniqueOrThrow({ where: { email: "erika@example.com" } })).toMatchObject({
      name: "Erika Beispiel",
      role: "lead",
      mustChangePassword: true,
    });
    await admin.close();
  });

  it(
    "an admin resets a password in the app's dialog: a typed one checked inline, or a generated one shown once",
    {
      timeout: 60_000,
    },
    async () => {
      const context = await browser.newContext({ locale: "en-US" });
      context.setDefaultTimeout(10_000);
      await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: stack.url });
      const admin = await context.newPage();
      // No browser prompt, alert or confirm anywhere in this flow.
      const nativeDialogs: string[] = [];
      admin.on("dialog", (d) => {
        nativeDialogs.push(d.type());
        void d.dismiss();
      });
      await signIn(admin, stack.url, "admin@example.com");
      await inboxReady(admin);
      await admin.getByRole("link", { name: "Admin" }).click();
      // The agent is signed in elsewhere (own browser context): the reset ends that session.
      const agentPage = await browser.newPage({ locale: "en-US" });
      await signIn(agentPage, stack.url, "agent@example.com");
      await inboxReady(agentPage);
      await agentPage.close();
      const agent = await stack.t.db.user.findUniqueOrThrow({ where: { email: "agent@example.com" } });
      expect(await stack.t.db.session.count({ where: { userId: agent.id } })).toBeGreaterThan(0);
      const row = admin.locator('tr[data-user-email="agent@example.com"]');

      // A password too short: the field says why, nothing is sent.
      await row.getByRole("button", { name: "Reset password" }).click();
      const dialog = admin.getByRole("dialog", { name: "Reset the password of agent@example.com" });
      await dialog.waitFor();
      const field = dialog.getByLabel("New password", { exact: true });
      await field.fill("kurz");
      await dialog.getByRole("button", { name: "Reset password" }).click();
      await dialog.getByRole("alert").getByText("Too short: at least 10 characters.").waitFor();
      expect(await field.getAttribute("aria-invalid")).toBe("true");
      // Focus is inside the modal, and it passes axe's WCAG A/AA rules with the error showing.
      expect(await admin.evaluate("document.activeElement?.closest('dialog') !== null")).toBe(true);
      const axe = await new AxeBuilder({ page: admin })
        .include('[data-testid="reset-password-dialog"]')
        .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
        .analyze();
      expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual(
        [],
      );
      expect((await stack.t.db.user.findUniqueOrThrow({ where: { id: agent.id } })).passwordHash).toBe(
        agent.passwordHash,
      );
      // Escape closes it like any dialog; nothing changed.
      await admin.keyboard.press("Escape");
      await dialog.waitFor({ state: "detached" });

      // A typed password: set, the user's sessions end, the reset is audited.
      await row.getByRole("button", { name: "Reset password" }).click();
      await dialog.getByLabel("New password", { exact: true }).fill("ein neues Passwort 1");
      await dialog.getByRole("button", { name: "Reset password" }).click();
      await admin.getByRole("status").getByText("The password of agent@example.com was reset").waitFor();
      await dialog.waitFor({ state: "detached" });
      expect(await stack.t.db.session.count({ where: { userId: agent.id } })).toBe(0);
      expect(
        await verifyPassword(
          (await stack.t.db.user.findUniqueOrThrow({ where: { id: agent.id } })).passwordHash,
          "ein neues Passwort 1",
        ),
      ).toBe(true);

      // A generated password: shown once with a copy button; it signs the user in.
      await row.getByRole("button", { name: "Reset password" }).click();
      await dialog.getByLabel("Generate a password").check();
      await dialog.getByRole("button", { name: "Reset password" }).click();
      const shown = dialog.getByTestId("generated-password");
      await shown.waitFor();
      const generated = (await shown.textContent())!.trim();
      expect(generated).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{18}$/);
      await dialog.getByRole("button", { name: "Copy" }).click();
      await dialog.getByRole("status").getByText("Copied.").waitFor();
      expect(await admin.evaluate("navigator.clipboard.readText()")).toBe(generated);
      await dialog.getByRole("button", { name: "Done" }).click();
      await dialog.waitFor({ state: "detached" });
      // Opened again, the password is not there any more.
      await row.getByRole("button", { name: "Reset password" }).click();
      expect(await dialog.getByTestId("generated-password").count()).toBe(0);
      await dialog.getByRole("button", { name: "Cancel" }).click();
      await dialog.waitFor({ state: "detached" });

      const user = await stack.t.db.user.findUniqueOrThrow({ where: { id: agent.id } });
      expect(await verifyPassword(user.passwordHash, generated)).toBe(true);
      expect(user.mustChangePassword).toBe(true);
      expect(await stack.t.db.auditLog.count({ where: { action: "user.password_reset", entityId: agent.id } })).toBe(2);
      const fresh = await browser.newPage({ locale: "en-US" });
      await signIn(fresh, stack.url, "agent@example.com", generated);
      await fresh.getByRole("heading", { name: "Set a new password" }).waitFor();
      await fresh.close();
      expect(nativeDialogs).toEqual([]);
      await context.close();
    },
  );
});
