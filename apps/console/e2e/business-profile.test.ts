import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { createLogger } from "@inbox/logger";
import { NO_RECEIVER, startTestSimulator, type TestSimulator } from "@inbox/simulator/testing";
import {
  chooseLanguage,
  launchChromium,
  makeUser,
  prepareBrowserTests,
  signIn,
  startStack,
  type Stack,
} from "./harness";

/** Issue 16: admins edit the WhatsApp business profile; the simulator stands in for Meta's Graph API. */
describe("WhatsApp business profile in Chromium", () => {
  let sim: TestSimulator;
  let stack: Stack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    prepareBrowserTests();
    sim = await startTestSimulator(NO_RECEIVER, { log: createLogger({ name: "sim", level: "silent", pretty: false }) });
    stack = await startStack(sim.productEnv);
    await stack.t.db.channel.create({
      data: { type: "whatsapp", name: "WhatsApp", externalId: sim.productEnv.WHATSAPP_PHONE_NUMBER_ID! },
    });
    await makeUser(stack, "admin@example.com", "admin", []);
    browser = await launchChromium();
    page = await browser.newPage({ locale: "en-US" });
    // Well under the test's 30 s, so a step that hangs fails with its own locator instead of "Test timed out".
    page.setDefaultTimeout(8_000);
    await signIn(page, stack.url, "admin@example.com");
    await page.getByRole("link", { name: "Admin" }).click();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await sim?.close();
  });

  const form = () => page.getByRole("form", { name: "WhatsApp business profile" });

  it("shows the profile from WhatsApp and saves a new about text there", async () => {
    await page.getByRole("tab", { name: "WhatsApp profile" }).click();
    const about = form().getByLabel("About");
    await expect.poll(() => about.inputValue()).toBe("Hey there! I am using WhatsApp.");
    await about.fill("Wir antworten werktags innerhalb einer Stunde.");
    await expect.poll(() => page.getByTestId("about-counter").textContent()).toContain("46 / 139");
    await form().getByLabel("Website 1").fill("https://example.com");
    await form().getByLabel("Category").selectOption("RETAIL");
    await form().getByRole("button", { name: "Save profile" }).click();
    await page.getByRole("status").getByText("Saved at WhatsApp.").waitFor();
    expect(sim.sim.businessProfile).toMatchObject({
      about: "Wir antworten werktags innerhalb einer Stunde.",
      websites: ["https://example.com"],
      vertical: "RETAIL",
    });
  });

  it("explains what WhatsApp would refuse before sending, in German too", async () => {
    await form().getByLabel("Website 2").fill("example.org");
    await form().getByRole("button", { name: "Save profile" }).click();
    await page.getByRole("alert").getByText("Websites must start with http:// or https://.").waitFor();
    expect(sim.sim.businessProfile.websites).toEqual(["https://example.com"]);

    await chooseLanguage(page, "Language", "de");
    await page.getByRole("tab", { name: "WhatsApp-Profil" }).waitFor();
    await page.getByRole("form", { name: "WhatsApp-Unternehmensprofil" }).getByLabel("Info").fill("");
    await page.getByRole("button", { name: "Profil speichern" }).click();
    await page.getByRole("alert").getByText("Der Info-Text darf nicht leer sein.").waitFor();
    await chooseLanguage(page, "Sprache", "en");
    await page.getByRole("tab", { name: "WhatsApp profile" }).waitFor();
  });

  it("shows a clear error with a retry when WhatsApp is not reachable", async () => {
    await fetch(`${sim.url}/_control/force`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ http: 503, count: 1 }),
    });
    await page.getByRole("tab", { name: "Users" }).click();
    await page.reload();
    await page.getByRole("tab", { name: "WhatsApp profile" }).click();
    await page.getByRole("alert").getByText("WhatsApp is not reachable right now").waitFor();
    await page.getByRole("button", { name: "Try again" }).click();
    await expect
      .poll(() => form().getByLabel("About").inputValue())
      .toBe("Wir antworten werktags innerhalb einer Stunde.");
  });
});
