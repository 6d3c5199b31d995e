import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import {
  chooseLanguage,
  launchChromium,
  makeUser,
  prepareBrowserTests,
  signIn,
  startStack,
  storeInbound,
  type Stack,
} from "./harness";

/**
 * An admin sets a retention period, exports and erases a contact, reads the audit log, the record of processing and
 * the data region — in Chromium.
 */
describe("privacy pages in Chromium", () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let contactId: string;

  beforeAll(async () => {
    prepareBrowserTests();
    // Meta is a closed port on loopback: the data-region page must cope with Meta not answering.
    stack = await startStack({ DATA_REGION: "DE", GRAPH_API_URL: "http://127.0.0.1:9/v25.0" });
    await makeUser(stack, "admin@example.com", "admin", []);
    const channelId = (
      await stack.t.db.channel.create({ data: { type: "whatsapp", name: "WhatsApp", externalId: "100000000000031" } })
    ).id;
    contactId = (
      await storeInbound(stack, {
        channelId,
        teamId: null,
        name: "Erika Löschmich",
        waId: "4915100000099",
        text: "Bitte löschen Sie meine Daten",
      })
    ).contact.id;
    browser = await launchChromium();
    page = await browser.newPage({ locale: "en-US" });
    page.setDefaultTimeout(20_000);
    page.on("dialog", (dialog) => void dialog.accept());
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it("sets a retention period below the minimum after confirming it", { timeout: 90_000 }, async () => {
    await signIn(page, stack.url, "admin@example.com");
    await page.getByRole("link", { name: "Privacy" }).click();
    await page.getByRole("heading", { name: "Retention" }).waitFor();
    const days = page.getByLabel("Messages (after the conversation was resolved): Days");
    await days.fill("10");
    await page.getByRole("button", { name: "Save periods" }).click();
    await page.getByRole("alertdialog").getByText("Below the minimum").waitFor();
    await page.getByRole("button", { name: "Save anyway" }).click();
    await page.getByRole("status").getByText("Saved.").waitFor();
    await expect
      .poll(() => stack.t.db.retentionPolicy.findFirst({ where: { category: "messages", channelId: null } }))
      .toMatchObject({ retentionDays: 10 });
    expect(await page.getByLabel("Messages (after the conversation was resolved): Days").inputValue()).toBe("10");
  });

  it("exports the contact as a zip, then erases it", { timeout: 90_000 }, async () => {
    await page.getByRole("tab", { name: "Data subject requests" }).click();
    await page.getByLabel("Contact ID", { exact: true }).fill(contactId);
    await page.getByLabel("Request", { exact: true }).selectOption("export");
    await page.getByRole("button", { name: "Carry out" }).click();
    const download = page.getByRole("link", { name: "Download zip" });
    await download.waitFor();
    const href = await download.getAttribute("href");
    const zip = await page.request.get(`${stack.url}${href}`);
    expect(zip.status()).toBe(200);
    expect(zip.headers()["content-type"]).toBe("application/zip");
    expect((await zip.body()).subarray(0, 2).toString()).toBe("PK");

    await page.getByLabel("Contact ID", { exact: true }).fill(contactId);
    await page.getByLabel("Request", { exact: true }).selectOption("erasure");
    await page.getByRole("button", { name: "Carry out" }).click(); // the confirm() dialog is accepted
    await page.locator('[data-testid="dsr-table"] tr[data-status="done"]', { hasText: "Erasure" }).waitFor();
    expect(await stack.t.db.contact.count({ where: { id: contactId } })).toBe(0);
  });

  it("reads the audit log, filtered by action", { timeout: 90_000 }, async () => {
    await page.getByRole("tab", { name: "Audit log" }).click();
    const table = page.getByTestId("audit-table");
    await table.getByText("data_subject.erased").waitFor();
    await table.getByText("retention_policy.updated").waitFor();
    await page.getByLabel("Action", { exact: true }).fill("data_subject.*");
    await page.getByRole("button", { name: "Filter" }).click();
    // The filtered page replaces the list: wait for it, then nothing else may be left.
    await table.getByText("data_subject.exported").waitFor();
    await expect.poll(() => table.getByText("retention_policy.updated").count()).toBe(0);
    await table.getByText("data_subject.exported").waitFor();
    expect(await table.locator("tbody tr").count()).toBe(await table.getByText(/^data_subject\./).count());
    expect(await page.getByRole("link", { name: "Download CSV" }).getAttribute("href")).toContain(
      "action=data_subject.*",
    );
  });

  it("saves a consent text as a new version and keeps the old one", { timeout: 90_000 }, async () => {
    await page.getByRole("tab", { name: "Consent texts" }).click();
    const form = page.getByRole("form", { name: "Marketing (DE)" });
    await form.getByText("Not set yet.").waitFor();
    await form.getByRole("textbox").fill("Ja, ich möchte Angebote per WhatsApp erhalten (Fassung A).");
    await form.getByRole("button", { name: "Save as new version" }).click();
    await form.getByRole("status").getByText("Saved as version 1.").waitFor();
    await form.getByRole("textbox").fill("Ja, ich möchte Angebote per WhatsApp erhalten (Fassung B).");
    await form.getByRole("button", { name: "Save as new version" }).click();
    await form.getByText("Version 2 in use; 0 consents recorded with it").waitFor();
    await form.getByText("Earlier versions (1)").click();
    await form.getByText(/Fassung A/).waitFor();
    expect(
      (await stack.t.db.consentText.findMany({ where: { purpose: "marketing" }, orderBy: { version: "asc" } })).map(
        (x) => x.version,
      ),
    ).toEqual([1, 2]);

    const keywords = page.getByRole("form", { name: "Chat keywords and confirmations" });
    // One confirmation per customer language; an empty one shows the built-in text and stays unset.
    const english = keywords.getByLabel("Confirmation after an opt-out (English)");
    expect(await english.getAttribute("placeholder")).toBe(
      "You will no longer receive messages from us. Reply START to opt in again.",
    );
    await keywords.getByLabel("Confirmation after an opt-out (German)").fill("Abgemeldet. Mit JA wieder an.");
    await keywords.getByRole("button", { name: "Save keywords and confirmations" }).click();
    await keywords.getByRole("status").getByText("Saved.").waitFor();
    expect(
      (await stack.t.db.setting.findUniqueOrThrow({ where: { key: "consent.optOutConfirmationText" } })).value,
    ).toEqual({ de: "Abgemeldet. Mit JA wieder an." });
    await english.fill("Unsubscribed. Reply YES to opt in again.");
    await keywords.getByRole("button", { name: "Save keywords and confirmations" }).click();
    await expect
      .poll(
        async () =>
          (await stack.t.db.setting.findUniqueOrThrow({ where: { key: "consent.optOutConfirmationText" } })).value,
      )
      .toEqual({ de: "Abgemeldet. Mit JA wieder an.", en: "Unsubscribed. Reply YES to opt in again." });
  });

  it("shows the record of processing with the period just set, and the data region", { timeout: 90_000 }, async () => {
    await page.getByRole("tab", { name: "Records of processing" }).click();
    const retention = page.getByRole("region", { name: "Retention periods (Löschfristen)" });
    await retention.getByText(/counted from the conversation's resolution: 10 days/).waitFor();
    const href = await page.getByRole("link", { name: "Download as Markdown" }).getAttribute("href");
    const md = await page.request.get(`${stack.url}${href}`);
    expect(md.status()).toBe(200);
    expect(await md.text()).toContain("# Record of processing activities (Art. 30 GDPR)");

    // In German, the console's other language: the record on the page and its download are German too.
    await chooseLanguage(page, "Language", "de");
    await page.getByRole("tab", { name: "Verarbeitungsverzeichnis" }).click();
    const fristen = page.getByRole("region", { name: "Löschfristen" });
    await fristen.getByText(/gerechnet ab Abschluss der Konversation: 10 Tage/).waitFor();
    const deHref = await page.getByRole("link", { name: "Als Markdown herunterladen" }).getAttribute("href");
    const deMd = await page.request.get(`${stack.url}${deHref}`);
    expect(deMd.headers()["content-disposition"]).toContain("verarbeitungsverzeichnis.md");
    expect(await deMd.text()).toContain("# Verzeichnis von Verarbeitungstätigkeiten (Art. 30 DSGVO)");
    await chooseLanguage(page, "Sprache", "en");

    await page.getByRole("tab", { name: "Data region" }).click();
    expect(await page.getByTestId("data-region").textContent()).toBe("DE");
    // Meta does not answer here: the number's local storage is shown as unreadable, not as enabled.
    await page
      .getByRole("row", { name: /WhatsApp/ })
      .getByText("Could not be read")
      .waitFor();
  });
});
