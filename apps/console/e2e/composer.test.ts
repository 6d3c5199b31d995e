/**
 * The composer, the template form and "ask for consent" in Chromium through the real path (phone page → simulator →
 * api → worker → simulator), with a German-speaking agent. Issue 16 "Done when": a template with an image header
 * and a named body variable is delivered; a too-long text shows the German error without "send again"; a customer
 * without consent answers "JA" to the question and a template can be sent after the window closed.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { createUser } from "@inbox/core";
import { launchChromium, PASSWORD, prepareBrowserTests, signIn } from "./harness";
import { startFullStack, type FullStack } from "./full-stack";

const HOUR = 3600_000;
/** A real 1×1 PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

describe("composer, templates and consent in Chromium (German console)", { timeout: 60_000 }, () => {
  let stack: FullStack;
  let browser: Browser;
  let agent: Page;
  let dir: string;
  let png: string;
  const contexts: BrowserContext[] = [];
  let clockOffsetMs = 0;

  beforeAll(async () => {
    prepareBrowserTests();
    dir = await mkdtemp(path.join(tmpdir(), "e2e-composer-"));
    png = path.join(dir, "paket.png");
    await writeFile(png, PNG);
    stack = await startFullStack();
    await createUser(
      stack.t.db,
      {
        email: "agentin@example.com",
        name: "Alma Agentin",
        password: PASSWORD,
        role: "agent",
        teams: ["Support"],
        locale: "de",
      },
      { type: "system" },
    );
    browser = await launchChromium();
    agent = await newPage();
    await signIn(agent, stack.url, "agentin@example.com");
    await agent.locator('[data-testid="live-state"][data-state="connected"]').waitFor();
    // signIn opens the console in English; this agent works in German.
    await agent.locator(".account-toggle").click();
    await agent.getByLabel("Language").selectOption("de");
    await agent.getByRole("button", { name: "Abmelden" }).waitFor();
  });

  // Each test starts with the simulator's clock in step with the product's.
  afterEach(async () => {
    if (clockOffsetMs) await moveSimulatorClock(-clockOffsetMs);
  });

  afterAll(async () => {
    if (clockOffsetMs && stack)
      await stack.simulatorPost("/_control/clock", { advanceMs: -clockOffsetMs }).catch(() => undefined);
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ locale: "de-DE", viewport: { width: 1360, height: 900 } });
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    return context.newPage();
  }

  async function openPhone(phoneNumber: string, name: string): Promise<Page> {
    const page = await newPage();
    await page.goto(stack.simulator.phoneUrl);
    await page.getByLabel("Telefonnummer").fill(phoneNumber);
    await page.getByLabel("Name", { exact: true }).fill(name);
    return page;
  }

  async function typeOnPhone(phone: Page, text: string): Promise<void> {
    await phone.getByLabel("Nachricht").fill(text);
    await phone.getByRole("button", { name: "Senden", exact: true }).click();
    await phone.locator(".msg.in", { hasText: text }).last().waitFor();
  }

  async function moveSimulatorClock(ms: number): Promise<void> {
    await stack.simulatorPost("/_control/clock", { advanceMs: ms });
    clockOffsetMs += ms;
  }

  const conversationRow = (name: string) => agent.locator("[data-conversation-id]", { hasText: name });
  const messageItem = (text: string) => agent.locator('[data-testid="message"]', { hasText: text });

  async function openConversation(name: string, lastText: string): Promise<void> {
    await conversationRow(name).waitFor();
    await conversationRow(name).click();
    // The customer's own message: automatic replies and consent questions quote keywords such as STOP too.
    await agent.locator('[data-testid="message"].inbound', { hasText: lastText }).waitFor();
  }

  it("a template with an image header (uploaded) and named body variables reaches the phone and is delivered", async () => {
    // The template list comes from the worker's template.sync against the simulator's WABA.
    await expect
      .poll(() => stack.t.db.template.count({ where: { name: "order_shipped" } }), { timeout: 15_000 })
      .toBe(2);
    // The customer wrote 30 h ago: the simulator's clock (Meta's timestamps) runs 30 h behind.
    await moveSimulatorClock(-30 * HOUR);
    const phone = await openPhone("+49 160 5550901", "Lena Bild");
    await typeOnPhone(phone, "Hallo, wo ist meine Bestellung?");
    await openConversation("Lena Bild", "Hallo, wo ist meine Bestellung?");

    // No consent yet: every approved template is offered disabled, with the reason; unapproved ones too.
    const picker = agent.getByTestId("template-picker");
    await picker.getByText("An diesen Kontakt kann gerade keine Vorlage gesendet werden.").waitFor();
    await picker.locator(".template-blocked summary").click();
    await picker
      .locator('[data-template="order_shipped/de"]', { hasText: "keine Einwilligung in Benachrichtigungen" })
      .waitFor();
    await picker.locator('[data-template="spring_sale/de"]', { hasText: "keine Einwilligung in Werbung" }).waitFor();
    await picker.locator('[data-template="winter_promo/de"]', { hasText: "nicht von WhatsApp freigegeben" }).waitFor();
    expect(await agent.locator("option", { hasText: "order_shipped (de, utility)" }).isDisabled()).toBe(true);

    // "JA" opts in (service and marketing): the same templates become sendable.
    await typeOnPhone(phone, "JA");
    await messageItem("JA").first().waitFor();
    await expect
      .poll(() => agent.locator("option", { hasText: "order_shipped (de, utility)" }).isDisabled(), {
        timeout: 10_000,
      })
      .toBe(false);
    await agent.getByTestId("template-picker").locator("select").selectOption({ label: "order_shipped (de, utility)" });

    // Checked in the form before sending: nothing goes out while fields are missing.
    await agent.getByRole("button", { name: "Vorlage senden" }).click();
    await agent.getByText("Prüfen Sie die markierten Felder vor dem Senden.").waitFor();
    expect(await agent.locator(".field-problem", { hasText: "erforderlich" }).count()).toBe(3);
    expect(await picker.getByText("diese Vorlage braucht eine Datei oder einen Link für die Kopfzeile").count()).toBe(
      1,
    );

    await agent.getByTestId("template-header-file").setInputFiles(png);
    await agent.getByText("paket.png hochgeladen").waitFor();
    await agent.getByLabel("Variable customer_name").fill("Lena");
    await agent.getByLabel("Variable order_id").fill("4711");
    await agent.getByLabel(/Sendung verfolgen/).fill("4711");
    // The preview shows what the customer will see: image, filled body, buttons.
    await agent
      .locator(".template-preview .preview", { hasText: "Hallo Lena, Ihre Bestellung 4711 wurde verschickt." })
      .waitFor();
    expect(await agent.locator(".template-preview img").count()).toBe(1);
    await agent.locator(".template-preview-buttons li", { hasText: "Sendung verfolgen" }).waitFor();
    await agent.getByRole("button", { name: "Vorlage senden" }).click();

    await phone
      .locator(".msg.out", { hasText: "Hallo Lena, Ihre Bestellung 4711 wurde verschickt." })
      .waitFor({ timeout: 15_000 });
    expect(await phone.locator(".msg.out", { hasText: "[image]" }).count()).toBeGreaterThan(0);
    await expect
      .poll(
        async () =>
          (await stack.t.db.message.findFirst({ where: { templateName: "order_shipped" }, select: { status: true } }))
            ?.status,
        { timeout: 15_000 },
      )
      .toMatch(/^(delivered|read)$/);
    // The attachment went to Meta first: the send named its media id in the header.
    const sent = await stack.t.db.message.findFirstOrThrow({
      where: { templateName: "order_shipped" },
      include: { media: true },
    });
    expect(sent.media[0]?.providerMediaId).toBeTruthy();
  });

  it("a too-long text: the counter warns, the server refuses, the German error shows without a retry button", async () => {
    const phone = await openPhone("+49 160 5550902", "Tom Lang");
    await typeOnPhone(phone, "Können Sie mir die AGB schicken?");
    await openConversation("Tom Lang", "Können Sie mir die AGB schicken?");

    const textbox = agent.getByRole("textbox", { name: /Nachricht schreiben/ });
    // No quick replies exist here: "/" says where admins create them instead of showing nothing.
    await textbox.fill("/");
    await agent.getByTestId("no-quick-replies").getByText("Admin → Textbausteine", { exact: false }).waitFor();
    await textbox.fill("a".repeat(5200));
    await agent.getByTestId("char-counter").getByText("5200 / 4096 Zeichen").waitFor();
    await agent.getByRole("button", { name: "Senden", exact: true }).click();

    const alert = agent.getByRole("alert");
    await alert.getByText("Der Text ist zu lang: WhatsApp nimmt höchstens 4096 Zeichen an.").waitFor();
    expect(await alert.getByRole("button").count()).toBe(0);
    expect(await stack.t.db.message.count({ where: { direction: "outbound", text: { startsWith: "aaaa" } } })).toBe(0);

    await textbox.fill("Gern, hier sind sie.");
    await agent.getByTestId("char-counter").getByText("20 / 4096 Zeichen").waitFor();
    await agent.getByRole("button", { name: "Senden", exact: true }).click();
    await phone.locator(".msg.out", { hasText: "Gern, hier sind sie." }).waitFor({ timeout: 15_000 });
  });

  it('ask for consent: the customer answers "JA" to the question, and after the window closed a template can be sent', async () => {
    const phone = await openPhone("+49 160 5550903", "Jana Frage");
    await typeOnPhone(phone, "Ich habe eine Frage zu meiner Rechnung");
    await openConversation("Jana Frage", "Ich habe eine Frage zu meiner Rechnung");

    await agent.getByRole("button", { name: "Nach Einwilligung fragen" }).click();
    await agent.getByText("Einwilligungsfrage gesendet.").waitFor();
    // The question in the customer's language (a German number): one language, not two glued together.
    const question = phone.locator(".msg.out", { hasText: "Antworten Sie mit JA, um zuzustimmen." });
    await question.waitFor({ timeout: 15_000 });
    expect(await question.textContent()).not.toContain("Reply");

    await typeOnPhone(phone, "JA");
    await agent.locator(".contact-panel", { hasText: "Service: erteilt" }).waitFor({ timeout: 10_000 });
    // The opt-in confirmation, in German only.
    const confirmation = phone.locator(".msg.out", { hasText: "Danke! Sie erhalten ab jetzt Nachrichten von uns." });
    await confirmation.waitFor({ timeout: 15_000 });
    expect(await confirmation.textContent()).not.toContain("Thank you");

    // A day later: the test moves the customer's last message 25 h into the past (the window closes).
    const conversationId = new URL(agent.url()).pathname.split("/c/")[1]!;
    await stack.t.db.conversation.update({
      where: { id: conversationId },
      data: { lastInboundAt: new Date(Date.now() - 25 * HOUR) },
    });
    await agent.reload();
    await agent.getByText("Das 24-Std.-Fenster ist geschlossen").waitFor();
    await expect
      .poll(() => agent.locator("option", { hasText: "order_update (de, utility)" }).isDisabled(), { timeout: 10_000 })
      .toBe(false);
    await agent.getByTestId("template-picker").locator("select").selectOption({ label: "order_update (de, utility)" });
    await agent.getByTestId("template-header-file").setInputFiles(png);
    await agent.getByText("paket.png hochgeladen").waitFor();
    await agent.getByLabel("Variable 1", { exact: true }).fill("Jana");
    await agent.getByLabel("Variable 2", { exact: true }).fill("0815");
    await agent.getByLabel("Variable 3", { exact: true }).fill("Montag");
    await agent.getByRole("button", { name: "Vorlage senden" }).click();
    await phone
      .locator(".msg.out", { hasText: "Hallo Jana, Ihre Bestellung 0815 ist unterwegs und kommt am Montag an." })
      .waitFor({ timeout: 15_000 });
  });
  it("a template with a map header, an amount and a date: checked in the form, previewed and delivered", async () => {
    const phone = await openPhone("+49 160 5550905", "Olga Abholung");
    await typeOnPhone(phone, "Ist meine Bestellung schon da?");
    await openConversation("Olga Abholung", "Ist meine Bestellung schon da?");
    await typeOnPhone(phone, "JA");
    await agent.locator(".contact-panel", { hasText: "Service: erteilt" }).waitFor({ timeout: 10_000 });
    // The window closes: the template form replaces the text box.
    const conversationId = new URL(agent.url()).pathname.split("/c/")[1]!;
    await stack.t.db.conversation.update({
      where: { id: conversationId },
      data: { lastInboundAt: new Date(Date.now() - 25 * HOUR) },
    });
    await agent.reload();
    await agent.getByText("Das 24-Std.-Fenster ist geschlossen").waitFor();
    await expect
      .poll(() => agent.locator("option", { hasText: "pickup_ready (de, utility)" }).isDisabled(), { timeout: 10_000 })
      .toBe(false);
    const picker = agent.getByTestId("template-picker");
    await picker.locator("select").first().selectOption({ label: "pickup_ready (de, utility)" });

    // The pin: a latitude off the globe and a missing address are refused in the form, nothing is sent.
    await picker.getByLabel("Breitengrad").fill("123");
    await picker.getByLabel("Längengrad").fill("13,404954");
    await picker.getByLabel("Name des Ortes").fill("Filiale Mitte");
    await agent.getByLabel("Variable 1", { exact: true }).fill("Olga");
    // Variable 2 is an amount: the customer sees its text, filled in from amount and currency.
    await picker.getByLabel("Art des Werts 2").selectOption("currency");
    await picker.getByLabel("Betrag für 2").fill("12,50");
    await picker.getByLabel("Währung für 2 (ISO 4217)").fill("EU");
    await picker.getByLabel("Art des Werts 3").selectOption("date_time");
    await picker.getByLabel("Datum für 3").fill("2026-12-03");
    await agent.getByRole("button", { name: "Vorlage senden" }).click();
    await agent.getByText("Prüfen Sie die markierten Felder vor dem Senden.").waitFor();
    await picker.getByText("eine Zahl in Dezimalgrad", { exact: false }).waitFor();
    await picker.getByText("ein dreistelliger ISO-4217-Code", { exact: false }).waitFor();
    expect(await picker.locator("label.invalid", { hasText: "Adresse" }).count()).toBe(1);

    await picker.getByLabel("Breitengrad").fill("52,520008");
    await picker.getByLabel("Adresse").fill("Alexanderplatz 1, 10178 Berlin");
    await picker.getByLabel("Währung für 2 (ISO 4217)").fill("EUR");
    // The preview: the place, and the body with the amount's and the date's text.
    await picker.getByTestId("template-preview-location").getByText("Filiale Mitte, Alexanderplatz 1").waitFor();
    await picker
      .locator(".template-preview .preview", {
        hasText: /Hallo Olga, Ihre Bestellung über 12,50\s€ liegt ab 3\. Dezember 2026/,
      })
      .waitFor();
    await agent.getByRole("button", { name: "Vorlage senden" }).click();

    await phone
      .locator(".msg.out", { hasText: "📍 Filiale Mitte, Alexanderplatz 1, 10178 Berlin" })
      .waitFor({ timeout: 15_000 });
    await phone.locator(".msg.out", { hasText: /über 12,50\s€ liegt ab 3\. Dezember 2026/ }).waitFor();
    await expect
      .poll(
        async () =>
          (await stack.t.db.message.findFirst({ where: { templateName: "pickup_ready" }, select: { status: true } }))
            ?.status,
        { timeout: 15_000 },
      )
      .toMatch(/^(delivered|read)$/);
    const sent = await stack.t.db.message.findFirstOrThrow({ where: { templateName: "pickup_ready" } });
    const components = (sent.payload as { template: { components: { type: string; parameters: unknown[] }[] } })
      .template.components;
    expect(components[0]).toEqual({
      type: "header",
      parameters: [
        {
          type: "location",
          location: {
            latitude: "52.520008",
            longitude: "13.404954",
            name: "Filiale Mitte",
            address: "Alexanderplatz 1, 10178 Berlin",
          },
        },
      ],
    });
    expect(components[1]!.parameters[1]).toMatchObject({
      type: "currency",
      currency: { code: "EUR", amount_1000: 12500 },
    });
    expect(components[1]!.parameters[2]).toEqual({
      type: "date_time",
      date_time: { fallback_value: "3. Dezember 2026" },
    });
  });

  it("after STOP nothing can be sent; a new message from the customer opens replies inside its window only", async () => {
    const phone = await openPhone("+49 160 5550904", "Paul Stopp");
    await typeOnPhone(phone, "STOP");
    await openConversation("Paul Stopp", "STOP");
    await agent
      .locator(".composer.disabled[role=status]", { hasText: "Der Kontakt hat widersprochen." })
      .waitFor({ timeout: 10_000 });

    // WhatsApp stamps messages in whole seconds: one in the same second as the STOP cannot be told from it, and the
    // product stays on the safe side (still opted out). The customer writes a second later, as people do — on a fast
    // machine this test otherwise typed both within one second (seen in CI).
    await moveSimulatorClock(1_000);
    await typeOnPhone(phone, "Eine Frage habe ich doch noch: wann kommt mein Paket?");
    await messageItem("Eine Frage habe ich doch noch").waitFor();
    await agent.getByTestId("replies-only").waitFor({ timeout: 10_000 });
    const textbox = agent.getByRole("textbox", { name: /Nachricht schreiben/ });
    await textbox.fill("Morgen, versprochen.");
    await agent.getByRole("button", { name: "Senden", exact: true }).click();
    await phone.locator(".msg.out", { hasText: "Morgen, versprochen." }).waitFor({ timeout: 15_000 });
  });
});
