import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { buildLiveEvents, createLivePublisher } from "@inbox/core";
import {
  launchChromium,
  makeUser,
  PASSWORD,
  prepareBrowserTests,
  startStack,
  storeInbound,
  type Stack,
  signIn,
} from "./harness";

describe("agent console in Chromium", () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let channelId: string;
  let supportId: string;
  let salesConversationId: string;

  beforeAll(async () => {
    prepareBrowserTests();
    stack = await startStack();
    await makeUser(stack, "agent@example.com", "agent", ["Support"]);
    await makeUser(stack, "sales@example.com", "agent", ["Sales"]);
    const db = stack.t.db;
    supportId = (await db.team.findUniqueOrThrow({ where: { name: "Support" } })).id;
    const salesId = (await db.team.findUniqueOrThrow({ where: { name: "Sales" } })).id;
    channelId = (
      await db.channel.create({
        data: { type: "whatsapp", name: "WhatsApp", externalId: "100000000000001", displayNumber: "+49 30 1234567" },
      })
    ).id;
    await storeInbound(stack, {
      channelId,
      teamId: supportId,
      name: "Erika Muster",
      waId: "4915100000001",
      text: "Guten Tag",
      at: new Date(Date.now() - 60_000),
    });
    salesConversationId = (
      await storeInbound(stack, {
        channelId,
        teamId: salesId,
        name: "Max Vertrieb",
        waId: "4915100000002",
        text: "Angebot?",
      })
    ).conversation.id;
    browser = await launchChromium();
    page = await browser.newPage({ locale: "en-US" });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it("logs in as an agent and sees only the team's conversations", async () => {
    await signIn(page, stack.url, "agent@example.com");
    await page.locator("[data-conversation-id]", { hasText: "Erika Muster" }).waitFor();
    await page.locator('[data-testid="live-state"][data-state="connected"]').waitFor();
    expect(await page.getByText("Max Vertrieb").count()).toBe(0);
  });

  it("shows a conversation live when a message is stored and published", async () => {
    const { conversation } = await storeInbound(stack, {
      channelId,
      teamId: supportId,
      name: "Live Kunde",
      waId: "4915100000003",
      text: "Hallo, ist da jemand?",
    });
    const live = createLivePublisher(stack.redis, stack.prefix, stack.log);
    await live.publish(
      await buildLiveEvents(stack.t.db, { createdMessageIds: [], conversationIds: [conversation.id] }),
    );
    await page.locator("[data-conversation-id]", { hasText: "Live Kunde" }).waitFor({ timeout: 5000 });
  });

  it("answers it and marks it resolved", async () => {
    const row = page.locator("[data-conversation-id]", { hasText: "Live Kunde" });
    await row.locator(".badge").waitFor();
    await row.click();
    await page.locator('[data-testid="message"]', { hasText: "Hallo, ist da jemand?" }).waitFor();
    // Opening it marks it read: the badge goes and the server agrees.
    await row.locator(".badge").waitFor({ state: "detached" });
    const opened = await stack.t.db.conversation.findUniqueOrThrow({ where: { id: page.url().split("/c/")[1]! } });
    expect(opened.unreadCount).toBe(0);
    const box = page.getByRole("textbox", { name: /Type a message/ });
    await box.fill("Ja, wie kann ich helfen?");
    // A double click must not send twice: the clientId is the same for both.
    await page.getByRole("button", { name: "Send" }).dblclick();
    await page.locator('[data-testid="message"]', { hasText: "Ja, wie kann ich helfen?" }).first().waitFor();
    const convId = page.url().split("/c/")[1]!;
    await expect
      .poll(() => stack.t.db.message.count({ where: { conversationId: convId, direction: "outbound" } }))
      .toBe(1);
    await page.getByRole("button", { name: "Resolve" }).click();
    await page.locator('[data-testid="conversation-status"]', { hasText: "Resolved" }).waitFor();
    expect((await stack.t.db.conversation.findUniqueOrThrow({ where: { id: convId } })).status).toBe("resolved");
  });

  it("shows the read ticks when the status report arrives live", async () => {
    const convId = page.url().split("/c/")[1]!;
    await page.getByRole("button", { name: "Reopen" }).waitFor();
    const outbound = await stack.t.db.message.findFirstOrThrow({
      where: { conversationId: convId, direction: "outbound" },
    });
    await stack.t.db.message.update({
      where: { id: outbound.id },
      data: {
        status: "read",
        externalId: "wamid.out1",
        sentAt: new Date(),
        deliveredAt: new Date(),
        readAt: new Date(),
      },
    });
    const live = createLivePublisher(stack.redis, stack.prefix, stack.log);
    await live.publish(await buildLiveEvents(stack.t.db, { updatedMessageIds: [outbound.id] }));
    await page.locator(`[data-message-id="${outbound.id}"] .ticks.read`).waitFor({ timeout: 5000 });
    // Two ticks (an icon, not a glyph that needs a font), named for screen readers.
    const ticks = page.locator(`[data-message-id="${outbound.id}"] .ticks`);
    expect(await ticks.getAttribute("aria-label")).toBe("read");
    expect(await ticks.locator("svg.lucide-check-check").count()).toBe(1);
  });

  it("window closed: switches to the template picker with variables and a preview", async () => {
    const { conversation, contact } = await storeInbound(stack, {
      channelId,
      teamId: supportId,
      name: "Alte Kundin",
      waId: "4915100000004",
      text: "Vor zwei Tagen",
      windowClosed: true,
    });
    await stack.t.db.consent.create({
      data: { contactId: contact.id, purpose: "service", status: "granted", source: "web_form" },
    });
    await stack.t.db.template.create({
      data: {
        channelId,
        name: "order_update",
        language: "de",
        category: "utility",
        status: "APPROVED",
        components: [{ type: "BODY", text: "Ihre Bestellung {{1}} ist unterwegs." }],
        parameterCount: 1,
      },
    });
    await page.goto(`${stack.url}/c/${conversation.id}`);
    await page.getByText("The 24 h window is closed").waitFor();
    expect(await page.getByRole("textbox", { name: /Type a message/ }).count()).toBe(0);
    await page.getByLabel("Template").selectOption({ label: "order_update (de, utility)" });
    await page.getByLabel("Variable 1").fill("A-42");
    await page.locator(".preview", { hasText: "Ihre Bestellung A-42 ist unterwegs." }).waitFor();
    await page.getByRole("button", { name: "Send template" }).click();
    await expect
      .poll(() =>
        stack.t.db.message.count({
          where: { conversationId: conversation.id, type: "template", templateName: "order_update" },
        }),
      )
      .toBe(1);
  });

  it("opted-out contact: the composer refuses with the reason", async () => {
    const { conversation, contact } = await storeInbound(stack, {
      channelId,
      teamId: supportId,
      name: "Stop Kunde",
      waId: "4915100000005",
      text: "STOP",
    });
    await stack.t.db.consent.create({
      data: { contactId: contact.id, purpose: "service", status: "withdrawn", source: "chat_keyword" },
    });
    await page.goto(`${stack.url}/c/${conversation.id}`);
    await page.getByText("The contact has opted out. Nothing can be sent.").waitFor();
    expect(await page.getByRole("textbox", { name: /Type a message/ }).count()).toBe(0);
    const res = await page.evaluate(async (id) => {
      const me = (await (await fetch("/api/auth/me")).json()) as { csrfToken: string };
      const r = await fetch(`/api/conversations/${id}/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": me.csrfToken },
        body: JSON.stringify({ type: "text", text: "Hallo", clientId: crypto.randomUUID() }),
      });
      return { status: r.status, body: (await r.json()) as { code: string } };
    }, conversation.id);
    expect(res).toMatchObject({ status: 409, body: { code: "opted_out" } });
  });

  it("cannot open another team's conversation: the UI says so and the server answers 403", async () => {
    await page.goto(`${stack.url}/c/${salesConversationId}`);
    await page.locator('[data-testid="conversation-error"]').waitFor();
    expect(await page.locator('[data-testid="conversation-error"]').textContent()).toMatch(/do not have access/);
    const status = await page.evaluate(
      async (id) => (await fetch(`/api/conversations/${id}/messages`)).status,
      salesConversationId,
    );
    expect(status).toBe(403);
  });
  it("snoozes a conversation until tomorrow morning and wakes it again", async () => {
    await page.goto(stack.url);
    await page.locator("[data-conversation-id]", { hasText: "Erika Muster" }).click();
    await page.getByLabel("Snooze").selectOption({ label: "until tomorrow 9:00" });
    const snoozed = page.locator('[data-testid="snoozed"]');
    await snoozed.waitFor();
    const id = page.url().split("/c/")[1]!;
    const stored = await stack.t.db.conversation.findUniqueOrThrow({ where: { id } });
    expect(stored.status).toBe("pending");
    expect(stored.snoozedUntil!.getTime()).toBeGreaterThan(Date.now() + 60_000);
    await snoozed.getByRole("button", { name: "Wake now" }).click();
    await snoozed.waitFor({ state: "detached" });
    expect((await stack.t.db.conversation.findUniqueOrThrow({ where: { id } })).snoozedUntil).toBeNull();
  });

  it("after an admin reset, the agent must set a new password before the inbox opens", async () => {
    const user = await makeUser(stack, "reset@example.com", "agent", ["Support"]);
    await stack.t.db.user.update({ where: { id: user.id }, data: { mustChangePassword: true } });
    const fresh = await browser.newPage({ locale: "en-US" });
    try {
      await signIn(fresh, stack.url, "reset@example.com");
      await fresh.getByRole("heading", { name: "Set a new password" }).waitFor();
      expect(await fresh.locator("[data-conversation-id]").count()).toBe(0);
      await fresh.getByLabel("Current password").fill(PASSWORD);
      await fresh.getByLabel("New password", { exact: true }).fill("ganz neues Passwort");
      await fresh.getByLabel("Repeat the new password").fill("ganz anderes Passwort");
      await fresh.getByRole("button", { name: "Save password" }).click();
      await fresh.getByRole("alert").filter({ hasText: "The two new passwords differ." }).waitFor();
      await fresh.getByLabel("Repeat the new password").fill("ganz neues Passwort");
      await fresh.getByRole("button", { name: "Save password" }).click();
      await fresh.locator("[data-conversation-id]", { hasText: "Erika Muster" }).waitFor();
      expect((await stack.t.db.user.findUniqueOrThrow({ where: { id: user.id } })).mustChangePassword).toBe(false);
    } finally {
      await fresh.close();
    }
  });
  it("presence: a lead sees whether the assigned agent has the console open, live", async () => {
    await makeUser(stack, "lead@example.com", "lead", ["Support"]);
    const agentId = (await stack.t.db.user.findUniqueOrThrow({ where: { email: "agent@example.com" } })).id;
    const { conversation } = await storeInbound(stack, {
      channelId,
      teamId: supportId,
      name: "Präsenz Kundin",
      waId: "4915100000009",
      text: "Wer ist da?",
    });
    await stack.t.db.conversation.update({ where: { id: conversation.id }, data: { assigneeId: agentId } });
    const lead = await browser.newPage({ locale: "en-US" });
    try {
      await signIn(lead, stack.url, "lead@example.com");
      await lead.locator('[data-testid="live-state"][data-state="connected"]').waitFor();
      await lead.goto(`${stack.url}/c/${conversation.id}`);
      // The agent's page (earlier tests) holds a live connection.
      await lead.locator('[data-testid="assignee"][data-online="true"]', { hasText: "Assigned to agent" }).waitFor();
      await page.goto("about:blank");
      await lead.locator('[data-testid="assignee"][data-online="false"]', { hasText: "offline" }).waitFor();
    } finally {
      await lead.close();
    }
  });
});
