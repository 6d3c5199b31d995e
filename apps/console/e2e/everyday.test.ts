/**
 * The console for everyday use, through the real path (phone page → simulator → api → worker → console and back):
 * a phone-sized and a desktop-sized agent, asking for consent and sending a template with an image header after the
 * window closed, a too-long text refused in German, 2FA enrolment with one secret and recovery codes, and an
 * automated accessibility check (axe-core) of the login, inbox, conversation and admin pages.
 */
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { generate } from "otplib";
import { createUser } from "@inbox/core";
import { launchChromium, PASSWORD, prepareBrowserTests, signIn } from "./harness";
import { startFullStack, type FullStack } from "./full-stack";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const HOUR = 3600_000;
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1360, height: 860 };
/** A 1×1 PNG: the header image the agent uploads. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

describe("the console for everyday use", { timeout: 90_000 }, () => {
  let stack: FullStack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    prepareBrowserTests();
    stack = await startFullStack();
    for (const [email, name] of [
      ["anna@example.com", "Anna Agent"],
      ["ben@example.com", "Ben Berger"],
    ] as const)
      await createUser(
        stack.t.db,
        { email, name, password: PASSWORD, role: "agent", teams: ["Support"], locale: "de" },
        { type: "system" },
      );
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  async function newPage(viewport = DESKTOP, locale = "en-US", time?: Date): Promise<Page> {
    const context = await browser.newContext({ locale, viewport });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    const page = await context.newPage();
    if (time) await page.clock.install({ time });
    return page;
  }
  async function openConsole(email: string, password = PASSWORD, viewport = DESKTOP, time?: Date): Promise<Page> {
    const page = await newPage(viewport, "en-US", time);
    await signIn(page, stack.url, email, password);
    await page.locator('[data-testid="live-state"][data-state="connected"]').waitFor();
    return page;
  }
  async function openPhone(customer: { phone: string; name: string }): Promise<Page> {
    const page = await newPage(DESKTOP, "de-DE");
    await page.goto(stack.simulator.phoneUrl);
    await page.getByLabel("Telefonnummer").fill(customer.phone);
    await page.getByLabel("Name", { exact: true }).fill(customer.name);
    return page;
  }
  async function typeOnPhone(phone: Page, text: string): Promise<void> {
    await phone.getByLabel("Nachricht").fill(text);
    await phone.getByRole("button", { name: "Senden", exact: true }).click();
    await phone.locator(".msg.in", { hasText: text }).last().waitFor();
  }
  const row = (page: Page, name: string) => page.locator("[data-conversation-id]", { hasText: name });
  const messageItem = (page: Page, text: string) => page.locator('[data-testid="message"]', { hasText: text });

  /** Nothing wider than the window: no horizontal scroll, every visible control inside the viewport. */
  async function expectNothingOffScreen(page: Page): Promise<void> {
    const result = await page.evaluate(() => {
      const width = window.innerWidth;
      const outside = [...document.querySelectorAll("button, a, input, select, textarea, h1, h2, [role=status]")]
        .filter((el) => {
          const box = el.getBoundingClientRect();
          const style = getComputedStyle(el);
          if (box.width === 0 || box.height === 0 || style.visibility === "hidden") return false;
          if (el.closest(".conv-list, .messages, .table-wrap, .tabs.scroll-x")) return false; // scroll inside
          if (el.classList.contains("skip")) return false; // "skip to content" appears on focus only
          return box.left < -1 || box.right > width + 1;
        })
        .map((el) => `${el.tagName.toLowerCase()}.${el.className} "${(el.textContent ?? "").trim().slice(0, 30)}"`);
      return { scrollWidth: document.documentElement.scrollWidth, width, outside };
    });
    expect(result.outside).toEqual([]);
    expect(result.scrollWidth).toBeLessThanOrEqual(result.width);
  }

  /** axe-core in the page: no serious or critical violation. */
  async function expectAccessible(page: Page, what: string): Promise<void> {
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> };
        }
      ).axe;
      const result = await axe.run();
      return result.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    });
    expect(violations, what).toEqual([]);
  }

  it("a phone (390×844) and a desktop: log in, open a conversation, answer, use the contact panel — nothing off-screen", async () => {
    const phone = await openPhone({ phone: "+49 151 5550111", name: "Paula Handy" });
    await typeOnPhone(phone, "Hallo, kann ich die Lieferadresse noch ändern?");
    for (const viewport of [PHONE, DESKTOP]) {
      const page = await newPage(viewport);
      await page.goto(stack.url);
      await page.evaluate('localStorage.setItem("inbox.lang", "en")');
      await page.reload();
      await page.getByLabel("E-mail").waitFor();
      await expectNothingOffScreen(page);
      await signIn(page, stack.url, "anna@example.com");
      await row(page, "Paula Handy").waitFor();
      await expectNothingOffScreen(page);
      await row(page, "Paula Handy").click();
      await messageItem(page, "Lieferadresse").waitFor();
      await expectNothingOffScreen(page);
      const reply = `Ja, bis heute Abend (${viewport.width} px).`;
      await page.getByRole("textbox", { name: /Type a message/ }).fill(reply);
      await page.getByRole("button", { name: "Send", exact: true }).click();
      await phone.locator(".msg.out", { hasText: reply }).waitFor({ timeout: 20_000 });
      await messageItem(page, reply).locator('[data-testid="author"]', { hasText: "You" }).waitFor();
      await expectNothingOffScreen(page);
      if (viewport === PHONE) {
        // One column: the list is gone while the conversation is open; the panel opens over it and closes again.
        expect(await page.locator(".sidebar").isVisible()).toBe(false);
        await page.getByRole("button", { name: "Contact details" }).click();
        await page.locator('[data-testid="contact-panel"]', { hasText: "+4915155" }).waitFor();
        await expectNothingOffScreen(page);
        await page.getByRole("button", { name: "Close" }).click();
        await page.getByRole("button", { name: "More actions" }).click();
        await page.getByRole("toolbar").getByRole("button", { name: "Resolve" }).waitFor();
        await expectNothingOffScreen(page);
        // Touch targets of usable size.
        const small = await page
          .locator(".conv-header button:visible, .conv-header a:visible, .composer button:visible")
          .evaluateAll((els: Element[]) =>
            els.filter((el) => el.getBoundingClientRect().height < 36).map((el) => el.outerHTML.slice(0, 60)),
          );
        expect(small).toEqual([]);
        await page.getByRole("link", { name: "Back" }).click();
        await row(page, "Paula Handy").waitFor();
      } else {
        await page.locator('[data-testid="contact-panel"]', { hasText: "+4915155" }).waitFor();
      }
      await expectNothingOffScreen(page);
    }
  });

  it("too long: the German error without a retry button, a counter at Meta's 4096, and the server's answer in German too", async () => {
    const phone = await openPhone({ phone: "+49 151 5550222", name: "Lang Text" });
    await typeOnPhone(phone, "Bitte schicken Sie mir alle Bedingungen.");
    const page = await newPage(DESKTOP, "de-DE");
    await page.goto(stack.url);
    await page.evaluate('localStorage.setItem("inbox.lang", "de")');
    await page.reload();
    await page.getByLabel("E-Mail").fill("anna@example.com");
    await page.getByLabel("Passwort").fill(PASSWORD);
    await page.getByRole("button", { name: "Anmelden" }).click();
    await row(page, "Lang Text").click();
    const box = page.getByRole("textbox", { name: /Nachricht schreiben/ });
    await box.fill("x".repeat(5200));
    await page.locator('[data-testid="char-counter"]', { hasText: "5200 / 4096 Zeichen" }).waitFor();
    await page.getByRole("button", { name: "Senden", exact: true }).click();
    const error = page.locator('[data-testid="composer-error"]');
    await error.waitFor();
    expect(await error.textContent()).toContain("Der Text ist zu lang: 5200 von höchstens 4096 Zeichen");
    expect(await error.getByRole("button").count()).toBe(0);
    expect(await phone.locator(".msg.out").count()).toBe(0);
    // The API refuses it too, with what the console turns into German.
    const conversationId = new URL(page.url()).pathname.split("/c/")[1]!;
    const answer = await page.evaluate(async (id) => {
      const me = (await (await fetch("/api/auth/me")).json()) as { csrfToken: string };
      const res = await fetch(`/api/conversations/${id}/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": me.csrfToken },
        body: JSON.stringify({ type: "text", text: "x".repeat(5200), clientId: crypto.randomUUID() }),
      });
      return { status: res.status, body: (await res.json()) as unknown };
    }, conversationId);
    expect(answer).toMatchObject({
      status: 400,
      body: { code: "validation_failed", issues: [{ path: "/text", code: "too_big", maximum: 4096 }] },
    });
  });

  it("ask for consent → the customer answers JA → after the window closed, a template with an image header and a named variable is delivered", async () => {
    // The admin makes "JA" grant notifications (service), which utility templates such as parcel_photo need.
    const admin = await openConsole(stack.admin.email, stack.admin.password);
    await admin.getByRole("link", { name: "Admin" }).click();
    await admin.getByRole("tab", { name: "Automatic replies" }).click();
    await admin.getByLabel("A “JA” grants").selectOption("service");
    await admin.getByRole("button", { name: "Save" }).click();
    await admin.getByText("Saved.").waitFor();

    const phone = await openPhone({ phone: "+49 160 5550333", name: "Mia Schulz" });
    await typeOnPhone(phone, "Guten Tag, wann kommt mein Paket ungefähr an?");
    const agent = await openConsole("ben@example.com");
    await row(agent, "Mia Schulz").click();
    await messageItem(agent, "wann kommt mein Paket").waitFor();
    expect(await agent.getByLabel("Template").count()).toBe(0);
    await agent.getByRole("button", { name: "Ask for consent" }).click();
    await agent.getByText("Consent question sent.").waitFor();
    // In the customer's language only (German text, German number): not German and English glued together.
    const question = phone.locator(".msg.out", { hasText: "Dürfen wir Sie über WhatsApp zu Ihren Anliegen" });
    await question.waitFor({ timeout: 20_000 }).catch(async (error: unknown) => {
      const sent = await stack.t.db.message.findMany({
        where: { direction: "outbound" },
        select: { text: true, status: true, errorTitle: true },
      });
      throw new Error(
        `${String(error)}\nphone: ${(await phone.locator(".msg").allTextContents()).join(" | ")}\nsent: ${JSON.stringify(sent)}`,
      );
    });
    expect(await question.textContent()).not.toMatch(/May we/);
    await typeOnPhone(phone, "JA");
    const thanks = phone.locator(".msg.out", { hasText: "Danke! Sie erhalten ab jetzt Nachrichten" });
    await thanks.waitFor({ timeout: 20_000 });
    expect(await thanks.textContent()).not.toMatch(/Thank you/);
    await agent.locator(".contact-panel", { hasText: "service: granted" }).waitFor();

    // The next day: the product's clock (and the agent's browser) 25 h later; the agent signs in again.
    stack.setProductClockOffset(25 * HOUR);
    const later = await openConsole("ben@example.com", PASSWORD, DESKTOP, new Date(Date.now() + 25 * HOUR));
    await row(later, "Mia Schulz").click();
    await later.getByText("The 24 h window is closed").waitFor();
    expect(await later.getByRole("button", { name: "Ask for consent" }).count()).toBe(0);
    const picker = later.getByLabel("Template");
    // Which templates this contact may receive, and why others are disabled.
    const options = await picker
      .locator("option")
      .evaluateAll((els: Element[]) =>
        els.map((el) => ({ text: el.textContent ?? "", disabled: (el as HTMLOptionElement).disabled })),
      );
    expect(options).toContainEqual({ text: "parcel_photo (de, utility)", disabled: false });
    expect(options.find((o) => o.text.startsWith("spring_sale (de"))).toMatchObject({ disabled: true });
    expect(options.find((o) => o.text.startsWith("spring_sale (de"))!.text).toMatch(/no consent for this purpose/);

    await picker.selectOption({ label: "parcel_photo (de, utility)" });
    // Checked in the form before anything is sent.
    await later.getByRole("button", { name: "Send template" }).click();
    await later.getByText("Upload a file or enter an https link.").waitFor();
    expect(await later.getByText("Please fill in.").count()).toBe(2);

    await later
      .getByTestId("template-header-file")
      .setInputFiles({ name: "paket.png", mimeType: "image/png", buffer: PNG });
    await later.getByText("ready to send").waitFor();
    await later.getByLabel("customer_name").fill("Mia");
    await later.getByLabel("Link ending for “Sendung ansehen”").fill("4711");
    const preview = later.locator(".preview");
    await preview.locator("img").waitFor();
    await preview.getByText("Hallo Mia, Ihr Paket wurde zugestellt. Das Foto zeigt, wo es liegt.").waitFor();
    await preview.getByText("Ihr Versandteam").waitFor();
    await preview.getByText("Sendung ansehen").waitFor();
    await later.getByRole("button", { name: "Send template" }).click();

    const delivered = phone.locator(".msg.out", { hasText: "Hallo Mia, Ihr Paket wurde zugestellt" });
    await delivered.waitFor({ timeout: 20_000 });
    expect(await delivered.textContent()).toContain("[image]");
    await expect
      .poll(
        async () =>
          (await stack.t.db.message.findFirst({ where: { templateName: "parcel_photo" }, include: { media: true } }))
            ?.status,
        { timeout: 20_000 },
      )
      .toMatch(/^(delivered|read)$/);
    const stored = await stack.t.db.message.findFirstOrThrow({
      where: { templateName: "parcel_photo" },
      include: { media: true },
    });
    expect(stored.payload).toMatchObject({
      template: { parameters: { customer_name: "Mia" }, buttons: [{ index: 0, subType: "url", text: "4711" }] },
      businessInitiated: true,
    });
    expect(stored.media[0]?.providerMediaId).toBeTruthy();
    await later
      .locator('[data-testid="message"]', { hasText: "parcel_photo" })
      .locator(".ticks[data-status=delivered], .ticks[data-status=read]")
      .waitFor();
    stack.setProductClockOffset(0);
  });

  it("2FA for oneself: one secret for the enrolment screen, a QR code, recovery codes; admins see it", async () => {
    const page = await openConsole("anna@example.com");
    const enrolls: string[] = [];
    page.on("request", (r) => {
      if (r.url().endsWith("/api/auth/totp/enroll")) enrolls.push(r.method());
    });
    await page.goto(`${stack.url}/account`);
    await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
    await page.getByRole("img", { name: "QR code for your authenticator app" }).waitFor();
    const secret = (await page.getByTestId("totp-secret").textContent())!;
    expect(enrolls).toEqual(["POST"]);
    const user = await stack.t.db.user.findUniqueOrThrow({ where: { email: "anna@example.com" } });
    expect(user.totpSecret).toBe(secret);
    await page.getByLabel("6-digit code").fill(await generate({ secret }));
    await page.getByRole("button", { name: "Confirm" }).click();
    const codes = page.getByTestId("recovery-codes").locator("code");
    await codes.first().waitFor();
    expect(await codes.count()).toBe(10);
    await page.getByRole("button", { name: "I have stored the codes" }).click();
    await page.getByTestId("totp-state").getByText("On:").waitFor();

    const admin = await openConsole(stack.admin.email, stack.admin.password);
    await admin.getByRole("link", { name: "Admin" }).click();
    await admin
      .locator('[data-testid="user-row"]', { hasText: "anna@example.com" })
      .getByRole("button", { name: "Reset 2FA" })
      .waitFor();
    await expectAccessible(admin, "admin page");

    // The WhatsApp business profile, edited through the Graph API (the simulator keeps it as Meta would).
    await admin.getByRole("tab", { name: "WhatsApp profile" }).click();
    await admin.getByLabel("About (status line)").fill("Montag bis Freitag 8–18 Uhr für Sie da.");
    await admin.getByLabel("Websites (one per line, at most 2)").fill("https://example.com");
    await admin.getByLabel("Category").selectOption("RETAIL");
    await admin.getByRole("button", { name: "Save" }).click();
    await admin.getByText("Saved at WhatsApp.").waitFor();
    const res = await fetch(
      `${stack.simulator.url}/v25.0/${stack.env.WHATSAPP_PHONE_NUMBER_ID}/whatsapp_business_profile?fields=about,websites,vertical`,
      { headers: { authorization: `Bearer ${stack.env.WHATSAPP_ACCESS_TOKEN}` } },
    );
    expect(await res.json()).toMatchObject({
      data: [
        { about: "Montag bis Freitag 8–18 Uhr für Sie da.", websites: ["https://example.com"], vertical: "RETAIL" },
      ],
    });
    await expectAccessible(admin, "admin business profile");
  });

  it("axe-core: no serious or critical violation on the login, inbox and conversation pages (phone and desktop)", async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const page = await newPage(viewport);
      await page.goto(stack.url);
      await page.getByLabel("E-mail").waitFor();
      await expectAccessible(page, `login ${viewport.width}`);
      await signIn(page, stack.url, "ben@example.com");
      await row(page, "Paula Handy").waitFor();
      await expectAccessible(page, `inbox ${viewport.width}`);
      await row(page, "Paula Handy").click();
      await messageItem(page, "Lieferadresse").waitFor();
      await expectAccessible(page, `conversation ${viewport.width}`);
    }
  });
});
