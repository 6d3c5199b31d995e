/**
 * Console first paint with 10,000 conversations: a fresh migrated database with 10,000 conversations of the
 * agent's team, the built console served by the api in-process, Debian Chromium. Measures, per run, the time from
 * navigation start until the first conversation row is painted (the session cookie is already set), and the time
 * to scroll the virtualised list from top to bottom (all 50 pages of 200 fetched).
 *   pnpm --filter @inbox/bench console        (COUNT=10000 RUNS=5)
 */
import { randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { prepareTemplateDatabase } from "@inbox/db/testing";
import { DIST, launchChromium, makeUser, PASSWORD, prepareBrowserTests, startStack } from "../apps/console/e2e/harness";

const COUNT = Number(process.argv[2] ?? 10_000);
const RUNS = 5;

async function main() {
  prepareBrowserTests();
  await prepareTemplateDatabase();
  const stack = await startStack();
  try {
    await makeUser(stack, "agent@example.com", "agent", ["Support"]);
    const db = stack.t.db;
    const teamId = (await db.team.findUniqueOrThrow({ where: { name: "Support" } })).id;
    const channelId = (
      await db.channel.create({ data: { type: "whatsapp", name: "WhatsApp", externalId: "100000000000001" } })
    ).id;
    const start = Date.now() - COUNT * 1000;
    for (let offset = 0; offset < COUNT; offset += 2000) {
      const n = Math.min(2000, COUNT - offset);
      const rows = Array.from({ length: n }, (_, k) => {
        const i = offset + k;
        return { contactId: randomUUID(), conversationId: randomUUID(), i, at: new Date(start + i * 1000) };
      });
      await db.contact.createMany({
        data: rows.map((r) => ({
          id: r.contactId,
          channelId,
          waId: `49151${String(r.i).padStart(8, "0")}`,
          displayName: `Kunde ${r.i}`,
        })),
      });
      await db.conversation.createMany({
        data: rows.map((r) => ({
          id: r.conversationId,
          channelId,
          contactId: r.contactId,
          activeContactId: r.contactId,
          teamId,
          lastMessageAt: r.at,
          lastInboundAt: r.at,
          unreadCount: r.i % 3,
        })),
      });
      await db.message.createMany({
        data: rows.map((r) => ({
          conversationId: r.conversationId,
          channelId,
          direction: "inbound" as const,
          type: "text",
          text: `Nachricht ${r.i}`,
          status: "received" as const,
          createdAt: r.at,
        })),
      });
    }
    const browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await page.goto(stack.url);
    await page.getByLabel(/E-mail|E-Mail/).fill("agent@example.com");
    await page.getByLabel(/Password|Passwort/).fill(PASSWORD);
    await page.locator("button[type=submit]").click();
    await page.locator("[data-conversation-id]").first().waitFor();

    const paints: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      await page.goto(`${stack.url}/`);
      await page.locator("[data-conversation-id]").first().waitFor();
      // Page context (a string: bench/ is type-checked without the DOM lib): the time of the next frame.
      paints.push(
        await page.evaluate<number>(
          "new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())))",
        ),
      );
    }
    const scrollStart = Date.now();
    await page.evaluate(`(async () => {
      const list = document.querySelector('[data-testid="conversation-list"]');
      while (!list.textContent.includes("Kunde 0")) {
        list.scrollTop = list.scrollHeight;
        await new Promise((r) => setTimeout(r, 50));
      }
    })()`);
    const scrollMs = Date.now() - scrollStart;
    await browser.close();

    const sorted = [...paints].sort((a, b) => a - b);
    const assets = path.join(DIST, "assets");
    const html = readFileSync(path.join(DIST, "index.html"), "utf8");
    const initial = readdirSync(assets).filter((f) => f.endsWith(".js") && html.includes(f));
    const initialGzip = initial.reduce((n, f) => n + gzipSync(readFileSync(path.join(assets, f))).length, 0);
    console.log(
      JSON.stringify(
        {
          conversations: COUNT,
          firstPaintMs: {
            runs: paints.map((p) => Math.round(p)),
            median: Math.round(sorted[Math.floor(sorted.length / 2)]!),
          },
          scrollToBottomMs: scrollMs,
          initialJsGzipKB: Math.round((initialGzip / 1024) * 10) / 10,
        },
        null,
        2,
      ),
    );
  } finally {
    await stack.close();
  }
}

await main();
