import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { applyWhatsAppDelivery, ChannelDirectory } from "@inbox/core";
import { launchChromium, makeUser, prepareBrowserTests, signIn, startStack, type Stack } from "./harness";

type Delivery = Parameters<typeof applyWhatsAppDelivery>[1];
const PHONE_NUMBER_ID = "106540352242922";
const metadata = { display_phone_number: "15550783881", phone_number_id: PHONE_NUMBER_ID };
/** A delivery of one `messages` change, shaped like Meta's examples (see packages/whatsapp/src/fixtures). */
const messagesDelivery = (value: Record<string, unknown>): Delivery => ({
  raw: { object: "whatsapp_business_account" },
  changes: [
    { wabaId: "102290129340398", field: "messages", value: { messaging_product: "whatsapp", metadata, ...value } },
  ],
  malformed: [],
});
const customer = (waId: string) => [{ profile: { name: "Sheena Nelson" }, wa_id: waId }];

/** What admins and agents see of webhook elements the inbox could not show as they are. */
describe("webhook quarantine and unsupported messages in Chromium", () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  const deliver = (delivery: Delivery) =>
    applyWhatsAppDelivery({ db: stack.t.db, channels: new ChannelDirectory(0) }, delivery);

  beforeAll(async () => {
    prepareBrowserTests();
    stack = await startStack();
    await makeUser(stack, "admin@example.com", "admin", []);
    // Two parts wait in quarantine: a message for a number not set up yet, and (after that) Meta's value errors.
    await deliver(
      messagesDelivery({
        contacts: customer("16505551234"),
        messages: [
          { from: "16505551234", id: "wamid.q-1", timestamp: "1749416383", type: "text", text: { body: "Hello?" } },
        ],
      }),
    );
    await deliver(messagesDelivery({ errors: [{ code: 131000, title: "Something went wrong" }] }));
    browser = await launchChromium();
    page = await browser.newPage({ locale: "en-US" });
    await signIn(page, stack.url, "admin@example.com");
    await page.getByRole("link", { name: "Admin" }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it("shows the count and the entries, applies them again once the channel exists, sets one aside", async () => {
    await page.getByRole("link", { name: "Admin" }).click();
    await page.getByRole("tab", { name: "Webhooks" }).click();
    await expect.poll(() => page.getByTestId("quarantine-count").textContent()).toBe("2 parts in quarantine");
    expect(await page.getByText("No channel has this business number").count()).toBe(2);
    await page.getByRole("button", { name: "Show" }).first().click();
    await expect.poll(() => page.locator("pre.payload").textContent()).toContain("whatsapp_business_account");

    await stack.t.db.channel.create({
      data: { type: "whatsapp", name: "WA", externalId: PHONE_NUMBER_ID },
    });
    await page.getByRole("button", { name: "Apply again" }).click();
    await page.getByRole("status").getByText("1 applied, 1 still in quarantine, 0 failed.").waitFor();
    await expect.poll(() => page.getByTestId("quarantine-count").textContent()).toBe("1 part in quarantine");
    await page.getByText("Error report from Meta without a message").waitFor();
    expect(await stack.t.db.message.count({ where: { type: "text" } })).toBe(1);

    await page.getByRole("button", { name: "Set aside" }).click();
    await expect.poll(() => page.getByTestId("quarantine-count").textContent()).toBe("0 parts in quarantine");
    await page.getByText("Nothing in quarantine").waitFor();
  });

  it("shows an unsupported message in the agent's language, with Meta's reason", async () => {
    // Meta's unsupported-message example (webhooks/reference/messages/unsupported).
    const r = await deliver(
      messagesDelivery({
        contacts: customer("4915199999999"),
        messages: [
          {
            from: "4915199999999",
            id: "wamid.q-unsupported",
            timestamp: "1750090702",
            type: "unsupported",
            errors: [
              {
                code: 131051,
                title: "Message type unknown",
                message: "Message type unknown",
                error_data: { details: "Message type is currently not supported." },
              },
            ],
            unsupported: { type: "edit" },
          },
        ],
      }),
    );
    await page.goto(`${stack.url}/c/${r.conversationIds[0]}`);
    const line = page.locator('[data-testid="message"]', { hasText: "Unsupported message (edit)." });
    await line.waitFor();
    expect(await line.textContent()).toContain("Ask the customer to send the content as text");
    expect(await line.textContent()).not.toContain("Nicht unterstützte Nachricht");
  });
});
