import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { createWebchatChannel, type WebchatChannelView } from "@inbox/core";
import { startFullStack, type FullStack } from "./full-stack";
import { launchChromium, prepareBrowserTests } from "./harness";

/**
 * "Continue on WhatsApp" through the real path: the widget on a website records the consent and shows the wa.me
 * link (QR code on desktop); the simulator's customer sends the prefilled text from the phone page; the signed
 * webhook links the consent to the customer's WhatsApp contact and conversation.
 */
describe("continue on WhatsApp in Chromium", () => {
  let stack: FullStack;
  let browser: Browser;
  let website: Server;
  let websiteUrl: string;
  let webchat: WebchatChannelView;

  beforeAll(async () => {
    prepareBrowserTests();
    stack = await startFullStack();
    website = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(
        `<!doctype html><html><body><h1>Shop</h1><script src="${stack.url}/widget.js" data-channel="${webchat.key}" async></script></body></html>`,
      );
    });
    await new Promise<void>((resolve) => website.listen(0, "127.0.0.1", resolve));
    websiteUrl = `http://localhost:${(website.address() as AddressInfo).port}/`;
    webchat = await createWebchatChannel(
      stack.t.db,
      {
        name: "Shop-Chat",
        settings: { allowedOrigins: [new URL(websiteUrl).origin], whatsappChannelId: stack.channel.id },
      },
      { type: "system" },
    );
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => website?.close(resolve));
    await stack?.close();
  });

  it("consent in the widget, the customer's prefilled WhatsApp message links it to their contact", async () => {
    const visitor = await (await browser.newContext({ locale: "de-DE" })).newPage();
    await visitor.goto(websiteUrl);
    await visitor.getByRole("button", { name: "Chat öffnen" }).click();
    await visitor.getByText("Ich bin einverstanden").waitFor();
    // Not without the tick.
    await visitor.getByRole("button", { name: "Auf WhatsApp weiterschreiben" }).click();
    await visitor.getByRole("alert").getByText("Bitte bestätigen Sie zuerst den Hinweis.").waitFor();
    await visitor.getByRole("checkbox").check();
    await visitor.getByRole("button", { name: "Auf WhatsApp weiterschreiben" }).click();
    // Desktop: a QR code and the link.
    await visitor.getByText("Mit dem Handy scannen").waitFor();
    await visitor.getByRole("img", { name: "QR" }).waitFor();
    const href = await visitor.getByRole("link", { name: "WhatsApp öffnen" }).getAttribute("href");
    expect(href).toMatch(/^https:\/\/wa\.me\/49301234567\?text=/);
    const prefilled = new URL(href!).searchParams.get("text")!;
    const reference = /WC-[0-9A-Z]{8}/.exec(prefilled)![0];

    // The customer sends the prefilled text on WhatsApp (the simulator's phone page).
    const phone = await (await browser.newContext({ locale: "de-DE" })).newPage();
    await phone.goto(stack.simulator.phoneUrl);
    await phone.getByLabel("Telefonnummer").fill("4917612345678");
    await phone.getByLabel("Name", { exact: true }).fill("Kim Kundin");
    await phone.getByLabel("Nachricht").fill(prefilled);
    await phone.getByRole("button", { name: "Senden", exact: true }).click();

    await expect
      .poll(async () => (await stack.t.db.whatsAppHandoff.findUnique({ where: { reference } }))?.linkedContactId)
      .toBeTruthy();
    const handoff = await stack.t.db.whatsAppHandoff.findUniqueOrThrow({ where: { reference } });
    const contact = await stack.t.db.contact.findUniqueOrThrow({
      where: { id: handoff.linkedContactId! },
      include: { consents: true },
    });
    expect(contact.waId).toBe("4917612345678");
    expect(contact.consents).toEqual([
      expect.objectContaining({
        purpose: "service",
        status: "granted",
        source: "widget",
        wordingVersion: 1,
        evidence: expect.objectContaining({
          handoffReference: reference,
          origin: new URL(websiteUrl).origin,
        }) as object,
      }),
    ]);
    const message = await stack.t.db.message.findUniqueOrThrow({ where: { id: handoff.linkedMessageId! } });
    expect(message).toMatchObject({
      direction: "inbound",
      text: prefilled,
      conversationId: handoff.linkedConversationId,
    });
  });
});
