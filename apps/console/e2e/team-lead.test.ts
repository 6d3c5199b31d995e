/**
 * Issue 13 in Chromium, through the real path (simulator phone page → signed webhook → api → BullMQ → worker routing
 * → websocket → console): a team lead sets vacation cover for an agent in the console; the agent's customer writes
 * again and the conversation appears with the substitute; with the whole team away a new customer gets the away
 * text; the lead's Team page shows the queue live and bulk-reassigns from it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { createUser } from "@inbox/core";
import { launchChromium, PASSWORD, prepareBrowserTests, signIn } from "./harness";
import { startFullStack, type FullStack } from "./full-stack";

const AWAY_DE = "Wir sind gerade alle nicht erreichbar und melden uns so bald wie möglich.";

describe("team lead: vacation cover, away text and the Team page", { timeout: 90_000 }, () => {
  let stack: FullStack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    prepareBrowserTests();
    stack = await startFullStack();
    const people = [
      ["lead@example.com", "Lea Lead", "lead"],
      ["anna@example.com", "Anna Agent", "agent"],
      ["bernd@example.com", "Bernd Berger", "agent"],
    ] as const;
    for (const [email, name, role] of people) {
      const user = await createUser(
        stack.t.db,
        { email, name, password: PASSWORD, role, teams: ["Support"], locale: "en" },
        { type: "system" },
      );
      ids[email] = user.id;
    }
    // The team's settings as an admin would make them on the Routing page: auto-assignment without requiring an open
    // console (the agents here have none), and an away text. Anna is available; Bernd and the lead are not.
    await stack.t.db.team.update({
      where: { name: "Support" },
      data: {
        assignmentStrategy: "round_robin",
        requirePresence: false,
        awayMessage: { de: AWAY_DE, en: "We are all away right now and will answer as soon as we can." },
      },
    });
    await stack.t.db.user.update({ where: { id: ids["anna@example.com"] }, data: { availability: "available" } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ locale: "en-US", viewport: { width: 1360, height: 900 } });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    return context.newPage();
  }
  async function openPhone(customer: { phone: string; name: string }): Promise<Page> {
    const page = await newPage();
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
  const conversationOf = (name: string) =>
    stack.t.db.conversation.findFirst({
      where: { contact: { profileName: name }, status: { not: "resolved" } },
      select: { id: true, assigneeId: true, queuedAt: true, coveredForId: true },
    });
  const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 20_000, interval: 100 });

  let lead: Page;
  let maxPhone: Page;

  it("a lead sets vacation cover; the agent's customer writes again and the conversation is with the substitute", async () => {
    maxPhone = await openPhone({ phone: "+49 160 5550201", name: "Max Kunde" });
    await typeOnPhone(maxPhone, "Hallo, meine Rechnung stimmt nicht.");
    await poll(async () => (await conversationOf("Max Kunde"))?.assigneeId).toBe(ids["anna@example.com"]);

    lead = await newPage();
    await signIn(lead, stack.url, "lead@example.com");
    await lead.locator('[data-testid="live-state"][data-state="connected"]').waitFor();
    await lead.getByRole("link", { name: "Absences" }).click();
    await lead.getByRole("heading", { name: "Absences and vacation cover" }).waitFor();
    const form = lead.getByRole("form", { name: "New absence" });
    await form.getByLabel("Who is away").selectOption({ label: "Anna Agent" });
    await form.getByTestId("substitute").selectOption({ label: "Bernd Berger" });
    // Open conversations stay with Anna until their customer writes again.
    await form.getByLabel("Hand open conversations over to the substitute when the absence starts").uncheck();
    await form.getByRole("button", { name: "Save absence" }).click();
    await form.getByText("Absence saved.").waitFor();
    const row = lead.getByTestId("absences").locator("tr", { hasText: "Anna Agent" });
    await row.getByText("Bernd Berger").waitFor();
    await row.getByText("now", { exact: true }).waitFor();
    expect((await conversationOf("Max Kunde"))?.assigneeId).toBe(ids["anna@example.com"]);

    // Max writes again: the worker's routing tick gives the conversation to Bernd, who covers for Anna.
    await typeOnPhone(maxPhone, "Hallo? Ist jemand da?");
    await poll(async () => (await conversationOf("Max Kunde"))?.assigneeId).toBe(ids["bernd@example.com"]);
    expect((await conversationOf("Max Kunde"))?.coveredForId).toBe(ids["anna@example.com"]);

    // In the console: the conversation shows Bernd as its assignee, and the timeline says why.
    await lead.getByRole("link", { name: "Inbox", exact: true }).click();
    await lead.locator("[data-conversation-id]", { hasText: "Max Kunde" }).click();
    await lead.getByTestId("assignee").getByText("Assigned to Bernd Berger").waitFor();
    await lead
      .locator('[data-event="assignment"]', { hasText: "Assigned to Bernd Berger (covering for Anna Agent)" })
      .waitFor();

    // Bernd's own console lists it under "Mine".
    const bernd = await newPage();
    await signIn(bernd, stack.url, "bernd@example.com");
    await bernd.locator('[data-testid="live-state"][data-state="connected"]').waitFor();
    await bernd.getByRole("tab", { name: "Mine" }).click();
    await bernd.locator("[data-conversation-id]", { hasText: "Max Kunde" }).waitFor();
    await bernd.close();
  });

  it("with the whole team away a new customer gets the away text, and the Team page shows the queue live", async () => {
    // Anna is absent; Bernd steps away; the lead was never available.
    await stack.t.db.user.update({ where: { id: ids["bernd@example.com"] }, data: { availability: "away" } });
    await lead.getByRole("link", { name: "Team", exact: true }).click();
    const support = lead.getByTestId("team-Support");
    await support.waitFor();
    await expect.poll(() => support.getByTestId("queue-length").textContent()).toBe("0");
    await support.getByText("Nothing is waiting.").waitFor();
    await support
      .getByTestId("agent-" + ids["anna@example.com"])
      .getByText(/away until further notice, covered by Bernd Berger/)
      .waitFor();

    const nina = await openPhone({ phone: "+49 160 5550202", name: "Nina Neu" });
    await typeOnPhone(nina, "Guten Tag, ich habe eine Frage zu meinem Vertrag.");
    await nina.locator(".msg.out", { hasText: AWAY_DE }).waitFor({ timeout: 20_000 });
    const waiting = await conversationOf("Nina Neu");
    expect(waiting).toMatchObject({ assigneeId: null });
    expect(waiting?.queuedAt).not.toBeNull();

    // Live: the dashboard learns of the new conversation from the websocket, no reload.
    await expect.poll(() => support.getByTestId("queue-length").textContent(), { timeout: 15_000 }).toBe("1");
    const queued = support.getByTestId("queued").filter({ hasText: "Nina Neu" });
    await queued.waitFor();

    // Bulk reassignment from the Team page, with an internal note.
    await queued.getByRole("checkbox").check();
    await support.getByTestId("reassign-to").selectOption({ label: "Bernd Berger" });
    await support.getByLabel("Internal note (optional)").fill("Bernd, bitte übernehmen.");
    await support.getByRole("button", { name: "Reassign 1" }).click();
    await support.getByTestId("reassign-result").getByText("1 moved, 0 refused.").waitFor();
    await expect.poll(() => support.getByTestId("queue-length").textContent(), { timeout: 15_000 }).toBe("0");
    await poll(async () => (await conversationOf("Nina Neu"))?.assigneeId).toBe(ids["bernd@example.com"]);
    const ninaConversation = (await conversationOf("Nina Neu"))!;
    const note = await stack.t.db.message.findFirstOrThrow({
      where: { conversationId: ninaConversation.id, type: "note" },
    });
    expect(note).toMatchObject({
      text: "Bernd, bitte übernehmen.",
      senderId: ids["lead@example.com"],
      isPrivate: true,
    });
    // The customer saw the away text once, and nothing of the internal note or the assignment lines.
    await nina.waitForTimeout(500);
    expect(await nina.locator(".msg.out").count()).toBe(1);
  });
});
