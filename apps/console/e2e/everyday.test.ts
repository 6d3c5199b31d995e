import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { buildLiveEvents, createLivePublisher, createUser } from "@inbox/core";
import { launchChromium, PASSWORD, prepareBrowserTests, signIn, startStack, storeInbound, type Stack } from "./harness";

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 860 };
/** A real 1×1 PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

/**
 * Nothing sticks out of the viewport: the document does not scroll sideways, and every visible control or heading
 * lies inside the window (controls inside a container that scrolls on its own — tabs, tables — are exempt; pages such
 * as the admin's may be longer than the window).
 * On phones, every button, field and menu entry is at least 44 px tall.
 * Checked on the settled layout: a report with findings is taken again for up to 5 s (on a loaded machine the page
 * may still be laying out after a resize or reload), and the last one is asserted.
 */
async function expectFits(page: Page, opts: { touch: boolean; isPage?: boolean }) {
  let report = await fitReport(page, opts);
  for (const deadline = Date.now() + 5_000; !fits(report) && Date.now() < deadline;) {
    await page.waitForTimeout(250);
    report = await fitReport(page, opts);
  }
  expect(report.outside, "elements outside the viewport").toEqual([]);
  expect(report.small, "touch targets under 44 px").toEqual([]);
  expect(report.overlapping, "overlapping controls in the top bar").toEqual([]);
  expect(report.scrollWidth, "horizontal scroll").toBeLessThanOrEqual(report.innerWidth);
}

type FitReport = Awaited<ReturnType<typeof fitReport>>;
const fits = (r: FitReport) =>
  !r.outside.length && !r.small.length && !r.overlapping.length && r.scrollWidth <= r.innerWidth;

function fitReport(page: Page, opts: { touch: boolean; isPage?: boolean }) {
  return page.evaluate(({ touch, isPage }) => {
    const vw = window.innerWidth;
    const vh = window.innerHeight;
    const describe = (el: Element) => el.outerHTML.slice(0, 140);
    const visible = (el: Element) => {
      const b = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return b.width > 1 && b.height > 1 && style.visibility !== "hidden" && !el.closest("[hidden], .skip");
    };
    const scrolls = (el: Element) => !!el.closest(".tabs, table, .table-scroll, pre, .conv-list, .messages, dialog");
    const controls = [...document.querySelectorAll("button, a, input, select, textarea, h1, h2, h3, [role=status]")];
    const outside = controls
      .filter((el) => visible(el) && !scrolls(el))
      .filter((el) => {
        const b = el.getBoundingClientRect();
        // The inbox is an app-like screen of fixed height; long pages (admin) may scroll down, never sideways.
        return b.left < -1 || b.right > vw + 1 || (!isPage && (b.top < -1 || b.bottom > vh + 1));
      })
      .map(describe);
    const small = touch
      ? controls
          .filter((el) => el.matches("button, select, input:not([type=checkbox]):not([type=radio]), .nav-link"))
          .filter((el) => visible(el) && !el.closest(".msg"))
          .filter((el) => el.getBoundingClientRect().height < 43.5)
          .map((el) => `${Math.round(el.getBoundingClientRect().height)}px ${describe(el)}`)
      : [];
    // Nothing in the top bar covers anything else there.
    const bar = [...document.querySelectorAll(".topbar a, .topbar button, .topbar select, .topbar [role=status]")]
      .filter((el) => visible(el) && !el.closest(".account-panel, .topbar-menu.open"))
      .map((el) => ({ el, b: el.getBoundingClientRect() }));
    const overlapping = bar.flatMap((x, i) =>
      bar
        .slice(i + 1)
        .filter(
          (y) =>
            !x.el.contains(y.el) &&
            x.b.left < y.b.right - 1 &&
            y.b.left < x.b.right - 1 &&
            x.b.top < y.b.bottom - 1 &&
            y.b.top < x.b.bottom - 1,
        )
        .map((y) => `${describe(x.el)} / ${describe(y.el)}`),
    );
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: vw, outside, small, overlapping };
  }, opts);
}

/** axe-core with the WCAG 2.x A/AA rules: no serious or critical violation. */
async function expectAccessible(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const bad = result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(bad, `accessibility of ${what}`).toEqual([]);
}

describe("the console for everyday use, on a phone and on a desktop", () => {
  let stack: Stack;
  let browser: Browser;
  let conversationId: string;
  let dir: string;
  // Calendar days in the users' time zone (the default, Europe/Berlin), in which the console draws its day
  // separators — not this machine's: at 23:30 UTC it is tomorrow in Berlin. "Yesterday" is noon UTC of yesterday's
  // date there (13:00 or 14:00 in Berlin; not a fixed number of hours ago, which is still today shortly after
  // midnight), "an hour ago" not before Berlin's midnight (one or two hours before midnight UTC of the same date).
  const dayInBerlin = new Intl.DateTimeFormat("en-CA", {
    timeZone: "Europe/Berlin",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  });
  const today = dayInBerlin.format(Date.now());
  const yesterday = new Date(Date.parse(`${today}T12:00:00Z`) - 24 * 3600_000);
  const startOfToday = [2, 1]
    .map((hours) => Date.parse(`${today}T00:00:00Z`) - hours * 3600_000)
    .find((t) => dayInBerlin.format(t) === today)!;
  const anHourAgo = new Date(Math.max(Date.now() - 3600_000, startOfToday));

  beforeAll(async () => {
    prepareBrowserTests();
    dir = await mkdtemp(path.join(tmpdir(), "everyday-"));
    await writeFile(path.join(dir, "foto.png"), PNG);
    stack = await startStack({ MEDIA_DIR: path.join(dir, "media") });
    const db = stack.t.db;
    const agent = await createUser(
      db,
      {
        email: "anna@example.com",
        name: "Anna Agentin",
        password: PASSWORD,
        role: "agent",
        teams: ["Support"],
        locale: "en",
      },
      { type: "system" },
    );
    await createUser(
      db,
      { email: "admin@example.com", name: "Ada Admin", password: PASSWORD, role: "admin", locale: "en" },
      { type: "system" },
    );
    const supportId = (await db.team.findUniqueOrThrow({ where: { name: "Support" } })).id;
    const channelId = (
      await db.channel.create({
        data: { type: "whatsapp", name: "WhatsApp", externalId: "100000000000016", displayNumber: "+49 30 1234567" },
      })
    ).id;
    const stored = await storeInbound(stack, {
      channelId,
      teamId: supportId,
      name: "Erika Mustermann-Langername",
      waId: "4915123456780",
      text: "Guten Tag, meine Bestellung ist nicht angekommen.",
      at: yesterday,
    });
    conversationId = stored.conversation.id;
    const base = { conversationId, channelId };
    await db.message.create({
      data: {
        ...base,
        direction: "outbound",
        type: "text",
        text: "Willkommen! Wir melden uns gleich.",
        status: "read",
        externalId: "wamid.welcome",
        senderId: null,
        createdAt: new Date(yesterday.getTime() + 1000),
      },
    });
    await db.message.create({
      data: {
        ...base,
        direction: "inbound",
        type: "reaction",
        text: "👍",
        payload: { reaction: { message_id: "wamid.welcome", emoji: "👍" } },
        status: "received",
        externalId: "wamid.reaction",
        replyToExternalId: "wamid.welcome",
        createdAt: new Date(yesterday.getTime() + 2000),
      },
    });
    await db.message.create({
      data: {
        ...base,
        direction: "outbound",
        type: "note",
        isPrivate: true,
        text: "Paketdienst angerufen, Sendung liegt im Depot",
        status: "sent",
        senderId: agent.id,
        createdAt: new Date(),
      },
    });
    await db.conversation.update({
      where: { id: conversationId },
      data: { lastMessageAt: new Date(), lastInboundAt: new Date() },
    });
    await storeInbound(stack, {
      channelId,
      teamId: supportId,
      name: "Max Beispiel",
      waId: "4917099887766",
      text: "Hallo?",
      at: anHourAgo,
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function open(viewport: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport, locale: "en-US", hasTouch: viewport === PHONE });
    const page = await context.newPage();
    // Fail at the step that went wrong, with its locator, instead of at the test's timeout.
    page.setDefaultTimeout(8000);
    return { context, page };
  }

  it("at 390×844: login, list, conversation, answer, contact panel and back, all on screen and accessible", async () => {
    const { context, page } = await open(PHONE);
    const touch = { touch: true };
    await page.goto(stack.url);
    await page.getByLabel("E-mail").waitFor();
    await expectFits(page, touch);
    await expectAccessible(page, "the login page");

    await signIn(page, stack.url, "anna@example.com");
    const row = page.locator("[data-conversation-id]", { hasText: "Erika Mustermann" });
    await row.waitFor();
    await page.locator('[data-testid="live-state"][data-state="connected"]').waitFor();
    await expectFits(page, touch);
    await expectAccessible(page, "the inbox");
    // Both conversations are unread: the tab title says so.
    await expect.poll(() => page.title()).toBe("(2) WhatsApp Inbox");
    // Sign-out is on screen without opening anything.
    expect(await page.getByRole("button", { name: "Sign out" }).isVisible()).toBe(true);

    await row.click();
    const title = page.getByTestId("conversation-title");
    await title.waitFor();
    await page.getByTestId("message").first().waitFor();
    // One column: the list made way for the conversation.
    expect(await page.getByTestId("conversation-list").isVisible()).toBe(false);
    // Day separators, the note's author, "automatic" for the welcome text, the reaction on its message.
    expect(await page.getByTestId("day-separator").allInnerTexts()).toEqual(["Today", "Yesterday"]);
    const note = page.getByTestId("message").filter({ hasText: "Paketdienst angerufen" });
    expect(await note.getByTestId("message-author").innerText()).toBe("Anna Agentin");
    const welcome = page.getByTestId("message").filter({ hasText: "Willkommen!" });
    expect(await welcome.getByTestId("message-author").innerText()).toBe("Automatic");
    expect(await welcome.getByTestId("reactions").innerText()).toContain("👍");
    expect(await page.getByTestId("message").filter({ hasText: /^👍/ }).count()).toBe(0);
    await expectFits(page, touch);
    await expectAccessible(page, "the conversation");

    // Answer.
    const box = page.getByRole("textbox", { name: /Type a message/ });
    await box.fill("Wir kümmern uns darum!");
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByTestId("message").filter({ hasText: "Wir kümmern uns darum!" }).waitFor();
    await expectFits(page, touch);

    // A note, then the toggle is off again.
    const noteToggle = page.getByRole("checkbox", { name: "Note" });
    await noteToggle.check();
    await box.fill("Rückruf morgen früh");
    await page.getByRole("button", { name: "Send" }).click();
    const sentNote = page.getByTestId("message").filter({ hasText: "Rückruf morgen früh" });
    await sentNote.waitFor();
    expect(await sentNote.getByTestId("message-author").innerText()).toBe("Anna Agentin");
    await expect.poll(() => noteToggle.isChecked()).toBe(false);

    // The contact panel, full width, and back.
    await page.getByRole("button", { name: "Contact" }).click();
    const panel = page.getByRole("complementary", { name: "Contact" });
    await panel.getByText("+4915123456780").waitFor();
    const box1 = (await panel.boundingBox())!;
    expect(box1.x).toBeGreaterThanOrEqual(0);
    expect(box1.x + box1.width).toBeLessThanOrEqual(PHONE.width);
    await expectFits(page, touch);
    await page.getByRole("button", { name: "Back to the conversation" }).click();
    await title.waitFor();
    expect(await panel.isVisible()).toBe(false);

    // The more-actions row opens and fits.
    await page.getByRole("button", { name: "More actions" }).click();
    await page.getByRole("button", { name: "Resolve" }).waitFor();
    await expectFits(page, touch);

    // Back to the list.
    await page.getByRole("link", { name: "Back to the list" }).click();
    await row.waitFor();
    await expectFits(page, touch);

    // The menu holds the navigation and the account settings, on screen.
    await page.getByRole("button", { name: "Menu" }).click();
    await page.getByRole("link", { name: "Absences" }).waitFor();
    await expectFits(page, touch);
    await page.getByRole("button", { name: "Anna Agentin" }).click();
    await page.getByTestId("account-panel").getByText("Sees and answers the conversations").waitFor();
    await expectFits(page, touch);
    await page.getByRole("link", { name: "Absences" }).click();
    await page.locator("main table, main form").first().waitFor();
    await expectFits(page, { touch: true, isPage: true });
    await context.close();
  }, 60_000);

  it("in German at 390×844: longer words still fit; Heute/Gestern, Automatisch", async () => {
    const context = await browser.newContext({ viewport: PHONE, locale: "de-DE", hasTouch: true });
    const page = await context.newPage();
    page.setDefaultTimeout(8000);
    await page.goto(stack.url);
    await page.evaluate(() => localStorage.setItem("inbox.lang", "de"));
    await page.reload();
    await page.getByLabel("E-Mail").fill("anna@example.com");
    await page.getByLabel("Passwort").fill(PASSWORD);
    await page.getByRole("button", { name: "Anmelden" }).click();
    await page.locator("[data-conversation-id]", { hasText: "Erika Mustermann" }).click();
    await page.getByTestId("conversation-title").waitFor();
    await page.getByTestId("day-separator").first().waitFor();
    expect(await page.getByTestId("day-separator").allInnerTexts()).toEqual(["Heute", "Gestern"]);
    expect(
      await page.getByTestId("message").filter({ hasText: "Willkommen!" }).getByTestId("message-author").innerText(),
    ).toBe("Automatisch");
    await expectFits(page, { touch: true });
    await page.getByRole("link", { name: "Zurück zur Liste" }).click();
    await page.getByTestId("conversation-list").waitFor();
    await expectFits(page, { touch: true });
    await expectAccessible(page, "the inbox in German");
    await context.close();
  });

  it("at 390×844: admin, privacy and absences pages keep their tables inside the screen and pass axe", async () => {
    const { context, page } = await open(PHONE);
    await signIn(page, stack.url, "admin@example.com");
    await page.locator("[data-conversation-id]").first().waitFor();
    for (const path of ["/admin", "/privacy", "/absences"]) {
      await page.goto(`${stack.url}${path}`);
      await page.locator("main table, main form").first().waitFor();
      await expectFits(page, { touch: true, isPage: true });
      if (path === "/admin") {
        await expectAccessible(page, "the admin page");
        // Every admin tab (users, teams, routing, labels, …) fits too.
        const tabs = page.getByRole("tablist", { name: "Admin" }).getByRole("tab");
        for (let i = 0; i < (await tabs.count()); i++) {
          await tabs.nth(i).click();
          expect(await tabs.nth(i).getAttribute("aria-selected")).toBe("true");
          // The tab's lists have loaded.
          await page.waitForLoadState("networkidle");
          await expectFits(page, { touch: true, isPage: true });
        }
      }
    }
    // An admin's top bar (four sections, status, name, sign-out) fits in one row at 1280 px.
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(`${stack.url}/admin`);
    await page.getByRole("link", { name: "Privacy" }).waitFor();
    expect(await page.getByRole("button", { name: "Menu" }).isVisible()).toBe(false);
    await expectFits(page, { touch: false, isPage: true });
    // In German too, whose words are longer.
    await page.evaluate(() => localStorage.setItem("inbox.lang", "de"));
    await page.reload();
    await page.getByRole("link", { name: "Datenschutz" }).waitFor();
    await expectFits(page, { touch: false, isPage: true });
    await context.close();
  }, 60_000);

  it("at desktop size: list, conversation and contact panel side by side; search by national number and note", async () => {
    const { context, page } = await open(DESKTOP);
    await signIn(page, stack.url, "anna@example.com");
    const row = page.locator("[data-conversation-id]", { hasText: "Erika Mustermann" });
    await row.click();
    await page.getByTestId("conversation-title").waitFor();
    const panel = page.getByRole("complementary", { name: "Contact" });
    await panel.getByText("+4915123456780").waitFor();
    expect(await page.getByTestId("conversation-list").isVisible()).toBe(true);
    await expectFits(page, { touch: false });
    await expectAccessible(page, "the conversation on a desktop");
    await page.getByRole("textbox", { name: /Type a message/ }).fill("Vom Schreibtisch aus");
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByTestId("message").filter({ hasText: "Vom Schreibtisch aus" }).waitFor();
    const search = page.getByRole("searchbox", { name: /Search/ });

    // An image is a thumbnail that opens a viewer; Escape closes it and focus returns to the thumbnail.
    await page.getByTestId("attach-input").setInputFiles(path.join(dir, "foto.png"));
    await page.getByTestId("attachment").filter({ hasText: "ready to send" }).waitFor();
    await page.getByRole("textbox", { name: /Type a message/ }).fill("Das Foto");
    await page.getByRole("button", { name: "Send" }).click();
    const thumb = page.getByRole("button", { name: "Open image: Das Foto" });
    await thumb.click();
    const viewer = page.getByTestId("image-viewer");
    await viewer.getByRole("img", { name: "Das Foto" }).waitFor();
    await expectAccessible(page, "the image viewer");
    await page.keyboard.press("Escape");
    await viewer.waitFor({ state: "detached" });
    await expect.poll(() => thumb.evaluate((el) => el === document.activeElement)).toBe(true);

    await search.fill("0151 2345 6780");
    const match = page.getByTestId("search-match");
    await expect.poll(() => match.count()).toBe(1);
    expect(await match.getAttribute("data-field")).toBe("number");
    expect(await match.locator("mark").innerText()).toBe("15123456780");
    expect(await page.locator("[data-conversation-id]", { hasText: "Max Beispiel" }).count()).toBe(0);

    await search.fill("depot");
    await expect.poll(() => match.getAttribute("data-field")).toBe("note");
    expect(await match.locator("mark").innerText()).toBe("Depot");

    await search.fill("nirgendwo-zu-finden");
    await page.getByTestId("empty-list").getByText("Nothing found for").waitFor();
    await context.close();
  });

  it("on a tablet: list and conversation side by side, the contact panel over the thread, nothing off-screen", async () => {
    const { context, page } = await open({ width: 820, height: 1180 });
    await signIn(page, stack.url, "anna@example.com");
    await page.locator("[data-conversation-id]", { hasText: "Erika Mustermann" }).click();
    await page.getByTestId("conversation-title").waitFor();
    expect(await page.getByTestId("conversation-list").isVisible()).toBe(true);
    await expectFits(page, { touch: false });
    await page.getByRole("button", { name: "Contact" }).click();
    await page.getByRole("complementary", { name: "Contact" }).getByText("+4915123456780").waitFor();
    await expectFits(page, { touch: false });
    // The alert settings are remembered by this browser.
    await page.getByRole("button", { name: "Menu" }).click();
    await page.getByRole("button", { name: "Anna Agentin" }).click();
    await page.getByRole("checkbox", { name: "Play a sound" }).check();
    await page.reload();
    await page.getByRole("button", { name: "Menu" }).click();
    await page.getByRole("button", { name: "Anna Agentin" }).click();
    expect(await page.getByRole("checkbox", { name: "Play a sound" }).isChecked()).toBe(true);
    expect(await page.getByRole("checkbox", { name: "Desktop notification" }).isChecked()).toBe(false);
    await context.close();
  });

  it("alerts: a desktop notification and a sound for a new conversation and for one assigned to me", async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: "en-US" });
    // Record notifications and chimes instead of showing them; the tab counts as in the background.
    await context.addInitScript(`
      window.__notes = [];
      window.__chimes = 0;
      window.Notification = class {
        static permission = "default";
        static async requestPermission() { window.Notification.permission = "granted"; return "granted"; }
        constructor(title, options) { window.__notes.push(title + " | " + ((options && options.body) || "")); }
      };
      const RealAudio = window.AudioContext;
      window.AudioContext = class extends RealAudio { constructor() { super(); window.__chimes++; } };
      document.hasFocus = () => false;
    `);
    const page = await context.newPage();
    page.setDefaultTimeout(8000);
    await signIn(page, stack.url, "anna@example.com");
    await page.locator("[data-conversation-id]", { hasText: "Max Beispiel" }).waitFor();
    await page.locator('[data-testid="live-state"][data-state="connected"]').waitFor();
    await page.getByRole("button", { name: "Anna Agentin" }).click();
    await page.getByRole("checkbox", { name: "Play a sound" }).check();
    await page.getByRole("checkbox", { name: "Desktop notification" }).check();
    await expect.poll(() => page.getByRole("checkbox", { name: "Desktop notification" }).isChecked()).toBe(true);
    const chimes = () => page.evaluate(() => (window as unknown as { __chimes: number }).__chimes);
    const notes = () => page.evaluate(() => (window as unknown as { __notes: string[] }).__notes);
    const before = await chimes();

    const db = stack.t.db;
    const channelId = (await db.channel.findFirstOrThrow()).id;
    const teamId = (await db.team.findUniqueOrThrow({ where: { name: "Support" } })).id;
    const live = createLivePublisher(stack.redis, stack.prefix, stack.log);
    const fresh = await storeInbound(stack, {
      channelId,
      teamId,
      name: "Neue Kundin",
      waId: "4916011112222",
      text: "Hallo",
    });
    await live.publish(await buildLiveEvents(db, { createdMessageIds: [], conversationIds: [fresh.conversation.id] }));
    await expect.poll(notes).toEqual(["New conversation: Neue Kundin | Hallo"]);
    expect(await chimes()).toBe(before + 1);

    const anna = await db.user.findUniqueOrThrow({ where: { email: "anna@example.com" } });
    const max = await db.conversation.findFirstOrThrow({ where: { contact: { displayName: "Max Beispiel" } } });
    await db.conversation.update({ where: { id: max.id }, data: { assigneeId: anna.id } });
    await live.publish(await buildLiveEvents(db, { createdMessageIds: [], conversationIds: [max.id] }));
    await expect.poll(async () => (await notes()).at(-1)).toBe("Assigned to you: Max Beispiel | Hallo?");
    expect(await chimes()).toBe(before + 2);
    await context.close();
  });

  it("keyboard: j opens the next conversation, ? shows the help and Escape closes it, typing does not trigger", async () => {
    const { context, page } = await open(DESKTOP);
    await signIn(page, stack.url, "anna@example.com");
    await page.locator("[data-conversation-id]").first().waitFor();
    await page.locator("body").click();
    await page.keyboard.press("j");
    const title = page.getByTestId("conversation-title");
    await title.waitFor();
    const first = page.url();
    const firstTitle = await title.textContent();
    await page.keyboard.press("j");
    await expect.poll(() => page.url()).not.toBe(first);
    // The next conversation is on screen (not the previous one's thread and composer, still shown while it loads).
    await expect.poll(() => title.textContent()).not.toBe(firstTitle);
    await page.keyboard.press("?");
    const help = page.getByTestId("help");
    await help.getByText("Next conversation").waitFor();
    await page.keyboard.press("Escape");
    await expect.poll(() => help.isVisible()).toBe(false);
    // The conversation j opened has its composer on screen before "r" can focus it.
    const box = page.getByRole("textbox", { name: /Type a message/ });
    await box.waitFor();
    await page.keyboard.press("r");
    await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
    const before = page.url();
    await page.keyboard.type("jk");
    expect(page.url()).toBe(before);
    expect(await box.inputValue()).toBe("jk");
    await context.close();
  });
});
