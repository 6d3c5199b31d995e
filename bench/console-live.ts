/**
 * The console under a live stream (issue 19): does an open inbox stay smooth, and does it show every message in
 * order, while 1,000 live events a minute come in? Through `pnpm start` (simulator mode), in Debian's Chromium.
 *
 *   1. The product starts as users start it; CUSTOMERS customers write once (the inbox has that many conversations
 *      of the agent's team "Support"). An agent signs in in the browser and opens the first customer's conversation.
 *   2. Idle: IDLE seconds of frame timing with nothing arriving (the machine's own noise, for comparison).
 *   3. Load: DURATION seconds of a mix worth EVENTS_PER_MINUTE live message events a minute, open loop —
 *      55 % customer messages (signed deliveries to /webhooks/whatsapp, one in five with two messages; one in ten
 *      from the open conversation's customer, each after the previous was answered), 8 % replies (by the agent
 *      through the api, or by a colleague; each brings a `sent` and a `delivered` status from the simulator, so they
 *      are worth 24 %), 5 % private notes by a colleague, 15 % "typing" of colleagues; a quarter of the replies and
 *      notes go to the open conversation (one after another). Every UI_REPLY_EVERY seconds the agent also types a
 *      reply into the composer and sends it with Enter.
 *   4. In the page: frame times (requestAnimationFrame deltas), long tasks and long animation frames
 *      (PerformanceObserver), envelopes received on /api/ws, when each message first appeared in the thread and in
 *      the list (MutationObserver); JS heap (after a forced GC, over CDP) before and after.
 *   5. Afterwards: the open thread must show exactly the conversation's stored messages in the server's order (none
 *      lost, none twice, none out of place) and the customer's and the posters' messages in the order they were
 *      written; the rows of the inbox list on screen must be the server's first rows, with the same unread counts.
 *
 *   pnpm --filter @inbox/bench console-live   (EVENTS_PER_MINUTE=1000 DURATION=60 CUSTOMERS=300 IDLE=5 UI_REPLY_EVERY=10)
 *
 * Exit code 1 when a check fails. Frame figures depend on the machine: compare with the idle phase.
 * PAGE_PROFILE=<file.cpuprofile> also records the page's CPU profile of the load phase (Chrome DevTools opens it;
 * the profiler costs frames itself, so figures of such a run are not comparable).
 */
import { writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import WebSocket from "ws";
import { createUser } from "@inbox/core";
import { launchChromium, PASSWORD, prepareBrowserTests, signIn } from "../apps/console/e2e/harness";
import { ApiClient, openSessions, percentile } from "./api-clients";
import { sleep, startProduct, waitFor, type RunningProduct } from "./product";
import { closeWebhookConnections, postWebhook, textMessagesDelivery } from "./webhook-load";

/** Playwright's page (playwright-core is the console's dependency, reached through the e2e harness). */
type Page = Awaited<ReturnType<Awaited<ReturnType<typeof launchChromium>>["newPage"]>>;

const EVENTS_PER_MINUTE = Number(process.env.EVENTS_PER_MINUTE ?? 1000);
const DURATION = Number(process.env.DURATION ?? 60);
const CUSTOMERS = Number(process.env.CUSTOMERS ?? 300);
const IDLE = Number(process.env.IDLE ?? 5);
const UI_REPLY_EVERY = Number(process.env.UI_REPLY_EVERY ?? 10);
const PAGE_PROFILE = process.env.PAGE_PROFILE;
const APP_SECRET = "bench-console-live-app-secret";
const PHONE_NUMBER_ID = "106540352242922";
const AGENT_EMAIL = "agent@bench.example";
/** Colleagues' tabs sending "typing" (the hub relays at most one per socket every 2 s). */
const TYPERS = 8;
/** Pass marks for the load phase. */
const LIMITS = { p99FrameMs: 50, framesOver100: 0 };

/** Deterministic choices (a run is repeatable). */
function prng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** One signed delivery of Meta's shape with `texts` from one customer, in this order; resolves with the status. */
const deliver = (port: number, waId: string, texts: { text: string; wamid: string }[]) =>
  postWebhook({ port, path: "/webhooks/whatsapp", appSecret: APP_SECRET }, textMessagesDelivery(waId, texts));

/**
 * The page's instruments (a string: bench/ is type-checked without the DOM lib). `window.__bench.start()` and
 * `.stop()` bracket a phase; `.stop()` returns its figures.
 */
const INSTRUMENTS = (run: string) => `(() => {
  const TAG = /^(?:in|out|note|ui) ${run} #\\d+$/;
  const b = { running: false, frames: [], last: 0, longTasks: [], loafs: [], envelopes: 0, seen: {}, received: {} };
  const CREATED = /"type":"message\\.created".*?"text":"((?:in|out|note|ui) ${run} #\\d+)"/;
  window.__bench = b;
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (e) => {
        if (!b.running || typeof e.data !== "string" || e.data.startsWith('{"control"')) return;
        b.envelopes++;
        const created = CREATED.exec(e.data);
        if (created && !(created[1] in b.received)) b.received[created[1]] = Date.now();
      });
    }
  };
  const note = (el) => {
    const text = (el.textContent || "").trim();
    if (TAG.test(text) && !(text in b.seen)) b.seen[text] = Date.now();
  };
  const SEL = "p.text, .conv-preview";
  new MutationObserver((records) => {
    if (!b.running) return;
    for (const r of records) {
      const target = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      const hit = target && target.closest(SEL);
      if (hit) note(hit);
      for (const n of r.addedNodes) {
        if (n.nodeType !== 1) continue;
        if (n.matches(SEL)) note(n);
        for (const el of n.querySelectorAll(SEL)) note(el);
      }
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
  try {
    new PerformanceObserver((list) => { if (b.running) for (const e of list.getEntries()) b.longTasks.push(e.duration); })
      .observe({ type: "longtask" });
  } catch {}
  try {
    new PerformanceObserver((list) => {
      if (b.running) for (const e of list.getEntries()) b.loafs.push({ d: e.duration, blocking: e.blockingDuration });
    }).observe({ type: "long-animation-frame" });
  } catch {}
  const loop = (t) => {
    if (!b.running) return;
    if (b.last) b.frames.push(t - b.last);
    b.last = t;
    requestAnimationFrame(loop);
  };
  b.start = () => {
    Object.assign(b, { frames: [], last: 0, longTasks: [], loafs: [], envelopes: 0, running: true });
    requestAnimationFrame(loop);
  };
  b.stop = () => {
    b.running = false;
    const f = [...b.frames].sort((x, y) => x - y);
    const at = (p) => f.length ? f[Math.min(f.length - 1, Math.floor(p / 100 * f.length))] : NaN;
    return {
      frames: f.length,
      over50: f.filter((d) => d > 50).length,
      over100: f.filter((d) => d > 100).length,
      p50: at(50), p99: at(99), max: f.at(-1) ?? NaN,
      longTasks: b.longTasks.length,
      longTaskMs: b.longTasks.reduce((s, d) => s + d, 0),
      longTaskMax: Math.max(0, ...b.longTasks),
      loafs: b.loafs.length,
      loafBlockingMs: b.loafs.reduce((s, l) => s + (l.blocking || 0), 0),
      loafMax: Math.max(0, ...b.loafs.map((l) => l.d)),
      envelopes: b.envelopes,
      domNodes: document.getElementsByTagName("*").length,
    };
  };
})();`;

interface PhaseFigures {
  frames: number;
  over50: number;
  over100: number;
  p50: number;
  p99: number;
  max: number;
  longTasks: number;
  longTaskMs: number;
  longTaskMax: number;
  loafs: number;
  loafBlockingMs: number;
  loafMax: number;
  envelopes: number;
  domNodes: number;
}

/** The page's JS heap after a forced garbage collection, in MB. */
async function heapMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("HeapProfiler.collectGarbage");
  const { usedSize } = await cdp.send("Runtime.getHeapUsage");
  await cdp.detach();
  return usedSize / 1024 / 1024;
}

/** Runs `work` one after another (a customer writing, a colleague answering in one conversation). */
function chain() {
  let last: Promise<unknown> = Promise.resolve();
  return (work: () => Promise<unknown>) => {
    last = last.then(work, work);
    return last;
  };
}

interface Sent {
  /** Tagged text → when it was sent (ms since epoch). */
  at: Map<string, number>;
  /** In the order written, the open conversation's customer messages and its posts (replies, notes, UI). */
  openInbound: string[];
  openPosts: string[];
  failed: number;
  liveEvents: number;
}

async function drive(
  product: RunningProduct,
  page: Page,
  run: string,
  openId: string,
  customers: string[],
  otherConversations: string[],
): Promise<Sent> {
  const { port, db, sessionSecret } = product;
  const [agentApi] = (await openSessions(db, { email: AGENT_EMAIL, password: PASSWORD, sessionSecret, count: 1 })).map(
    (s) => new ApiClient(port, s),
  );
  const colleagueSessions = await openSessions(db, { ...product.admin, sessionSecret, count: TYPERS });
  const colleagueApi = new ApiClient(port, colleagueSessions[0]!);
  const typers = await Promise.all(
    colleagueSessions.map(async (s) => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/api/ws`, {
        headers: { cookie: s.cookie, origin: `http://127.0.0.1:${port}` },
      });
      await new Promise<void>((resolve, reject) => socket.once("open", resolve).once("error", reject));
      return socket;
    }),
  );
  const random = prng(19);
  const perMinute = { inbound: 0.55, reply: 0.08, note: 0.05, typing: 0.15 };
  const kinds: (keyof typeof perMinute)[] = [];
  for (const [kind, share] of Object.entries(perMinute) as [keyof typeof perMinute, number][]) {
    for (let i = 0; i < Math.round((share * EVENTS_PER_MINUTE * DURATION) / 60); i++) kinds.push(kind);
  }
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  const sent: Sent = { at: new Map(), openInbound: [], openPosts: [], failed: 0, liveEvents: 0 };
  const openCustomer = chain();
  const openPoster = chain();
  const pending: Promise<unknown>[] = [];
  let seq = 0;
  const tag = (kind: string) => `${kind} ${run} #${seq++}`;
  const post = (client: ApiClient, conversationId: string, type: "text" | "note", text: string) => async () => {
    sent.at.set(text, Date.now());
    const answer = await client.postMessage(conversationId, type, text);
    if (answer.status !== 202) sent.failed++;
  };

  const started = performance.now();
  let nextUiReply = UI_REPLY_EVERY * 1000;
  for (let i = 0; i < kinds.length; i++) {
    const due = started + (i * DURATION * 1000) / kinds.length;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    if (UI_REPLY_EVERY > 0 && performance.now() - started >= nextUiReply) {
      nextUiReply += UI_REPLY_EVERY * 1000;
      const text = tag("ui");
      // The agent types and sends in the open conversation (the page works while the events keep coming).
      pending.push(
        openPoster(async () => {
          sent.at.set(text, Date.now());
          sent.openPosts.push(text);
          const box = page.getByLabel(/Type a message/);
          await box.fill(text);
          await box.press("Enter");
          await waitFor("the composer to clear", 10_000, async () => (await box.inputValue()) === "");
        }).catch(() => sent.failed++),
      );
    }
    const kind = kinds[i]!;
    const toOpen = kind === "inbound" ? random() < 0.1 : random() < 0.25;
    if (kind === "inbound") {
      const count = random() < 0.2 ? 2 : 1;
      const texts = Array.from({ length: count }, () => {
        const text = tag("in");
        return { text, wamid: `wamid.cl-${text.replace(/\W+/g, "-")}` };
      });
      sent.liveEvents += count;
      const send = async () => {
        for (const t of texts) sent.at.set(t.text, Date.now());
        if (toOpen) sent.openInbound.push(...texts.map((t) => t.text));
        if ((await deliver(port, toOpen ? customers[0]! : customers[1 + (i % (customers.length - 1))]!, texts)) !== 200)
          sent.failed++;
      };
      pending.push(toOpen ? openCustomer(send) : send());
    } else if (kind === "reply" || kind === "note") {
      const text = tag(kind === "reply" ? "out" : "note");
      // The agent answers, or a colleague does; notes are the colleague's.
      const client = kind === "reply" && i % 2 ? agentApi! : colleagueApi;
      sent.liveEvents += kind === "reply" ? 3 : 1;
      const target = toOpen ? openId : otherConversations[i % otherConversations.length]!;
      const send = post(client, target, kind === "reply" ? "text" : "note", text);
      if (toOpen) {
        pending.push(
          openPoster(() => {
            sent.openPosts.push(text);
            return send();
          }),
        );
      } else pending.push(send());
    } else {
      sent.liveEvents += 1;
      const target = toOpen ? openId : otherConversations[i % otherConversations.length]!;
      typers[i % typers.length]!.send(JSON.stringify({ type: "typing", conversationId: target }));
    }
  }
  await Promise.all(pending);
  for (const socket of typers) socket.close();
  agentApi!.close();
  colleagueApi.close();
  return sent;
}

/** The open thread as rendered, oldest first: message ids and texts (the list is newest first, column-reverse). */
async function renderedThread(page: Page): Promise<{ id: string; text: string }[]> {
  const items = await page.evaluate<{ id: string; text: string }[]>(`[...document.querySelectorAll(
    'ol.messages li[data-testid="message"]')].map((li) => ({ id: li.dataset.messageId,
    text: (li.querySelector("p.text")?.textContent ?? "").trim() }))`);
  return items.reverse();
}

/** The rows of the inbox list on screen, top to bottom: id and unread badge. */
async function renderedRows(page: Page): Promise<{ id: string; unread: number }[]> {
  return page.evaluate(`[...document.querySelectorAll('[data-testid="conversation-list"] .conv-row')]
    .map((row) => ({ y: row.getBoundingClientRect().top, id: row.querySelector("[data-conversation-id]").dataset.conversationId,
      unread: Number(row.querySelector(".badge")?.textContent ?? 0) }))
    .sort((a, b) => a.y - b.y)
    .filter((r) => r.y < window.innerHeight)
    .map(({ id, unread }) => ({ id, unread }))`);
}

/** The server's first rows of the same list (the agent's teams, open), read with the page's session. */
async function serverRows(page: Page): Promise<{ id: string; unread: number }[]> {
  return page.evaluate(`fetch("/api/conversations?status=open&team=mine&limit=200").then((r) => r.json())
    .then((body) => body.items.map((c) => ({ id: c.id, unread: c.unreadCount })))`);
}

const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "–");

function latencies(sentAt: Map<string, number>, seen: Record<string, number>, texts: string[]) {
  const values = texts.filter((t) => seen[t] !== undefined).map((t) => seen[t]! - sentAt.get(t)!);
  values.sort((a, b) => a - b);
  return { seen: values.length, of: texts.length, p50: percentile(values, 50), p99: percentile(values, 99) };
}

/** Runs the benchmark; true when every check passed. */
async function main(): Promise<boolean> {
  prepareBrowserTests();
  const product = await startProduct({ WHATSAPP_APP_SECRET: APP_SECRET, WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID });
  const browser = await launchChromium();
  try {
    const { db, port } = product;
    await createUser(
      db,
      { email: AGENT_EMAIL, name: "Agent", password: PASSWORD, role: "agent", teams: ["Support"], locale: "en" },
      { type: "system" },
    );
    const run = randomBytes(3).toString("hex");
    const customers = Array.from({ length: CUSTOMERS }, (_, i) => `49171${String(4_000_000 + i)}`);
    // Every customer writes once: the inbox has CUSTOMERS conversations. The first one is the conversation the agent
    // opens (written last, so it is at the top of the list).
    for (let i = customers.length - 1; i >= 0; i -= 20) {
      await Promise.all(
        customers
          .slice(Math.max(0, i - 19), i + 1)
          .map((c) => deliver(port, c, [{ text: `Hallo ${c}`, wamid: `wamid.cl-${run}-hello-${c}` }])),
      );
    }
    await waitFor("the conversations", 60_000, async () => (await db.conversation.count()) >= CUSTOMERS);
    const conversations = await db.conversation.findMany({ select: { id: true, contact: { select: { waId: true } } } });
    const openId = conversations.find((c) => c.contact.waId === customers[0])!.id;
    const others = conversations.filter((c) => c.id !== openId).map((c) => c.id);

    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await page.addInitScript(INSTRUMENTS(run));
    const url = `http://127.0.0.1:${port}`;
    await signIn(page, url, AGENT_EMAIL);
    await page.locator("[data-conversation-id]").first().waitFor();
    await page.goto(`${url}/c/${openId}`);
    await page.locator('ol.messages li[data-testid="message"]').first().waitFor();
    await page.getByLabel(/Type a message/).waitFor();
    await sleep(1000);

    await page.evaluate("window.__bench.start()");
    await sleep(IDLE * 1000);
    const idle = await page.evaluate<PhaseFigures>("window.__bench.stop()");

    const heapBefore = await heapMb(page);
    const profiler = PAGE_PROFILE ? await page.context().newCDPSession(page) : undefined;
    if (profiler) {
      await profiler.send("Profiler.enable");
      await profiler.send("Profiler.start");
    }
    await page.evaluate("window.__bench.start()");
    const loadStarted = Date.now();
    const sent = await drive(product, page, run, openId, customers, others);
    const sendSeconds = (Date.now() - loadStarted) / 1000;
    // Until the open thread has everything sent to it (or 15 s), then a moment for the list's refresh.
    const expectedOpen = [...sent.openInbound, ...sent.openPosts];
    await waitFor("the open thread", 15_000, async () => {
      const texts = new Set((await renderedThread(page)).map((m) => m.text));
      return expectedOpen.every((t) => texts.has(t));
    }).catch(() => undefined);
    await sleep(2000);
    const load = await page.evaluate<PhaseFigures>("window.__bench.stop()");
    if (profiler && PAGE_PROFILE) {
      const { profile } = await profiler.send("Profiler.stop");
      writeFileSync(PAGE_PROFILE, JSON.stringify(profile));
      await profiler.detach();
    }
    const seen = await page.evaluate<Record<string, number>>("window.__bench.seen");
    const received = await page.evaluate<Record<string, number>>("window.__bench.received");
    const heapAfter = await heapMb(page);

    // The open thread against the database: every stored message once, in the server's order.
    const stored = await db.message.findMany({
      where: { conversationId: openId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true, text: true, direction: true },
    });
    const shown = await renderedThread(page);
    const shownIds = shown.map((m) => m.id);
    const storedIds = stored.map((m) => m.id);
    const lost = storedIds.filter((id) => !shownIds.includes(id)).length;
    const twice = shownIds.length - new Set(shownIds).size;
    const extra = shownIds.filter((id) => !storedIds.includes(id)).length;
    const inOrder = JSON.stringify(shownIds) === JSON.stringify(storedIds);
    // The server's order is the order written.
    const storedTexts = stored.map((m) => m.text ?? "");
    const writtenInOrder = (texts: string[]) =>
      JSON.stringify(storedTexts.filter((t) => texts.includes(t))) === JSON.stringify(texts);
    const inboundInOrder = writtenInOrder(sent.openInbound);
    const postsInOrder = writtenInOrder(sent.openPosts);
    const notStored = expectedOpen.filter((t) => !storedTexts.includes(t)).length;

    // The list on screen against the server's (it may take a refresh to settle: up to 10 s).
    let listMatches = false;
    let listWaitedMs = 0;
    let listDiff = "";
    const listStarted = Date.now();
    while (!listMatches && Date.now() - listStarted < 10_000) {
      const [rows, server] = [await renderedRows(page), await serverRows(page)];
      const expected = server.slice(0, rows.length);
      listMatches = rows.length > 0 && JSON.stringify(rows) === JSON.stringify(expected);
      listDiff = listMatches
        ? ""
        : `screen ${JSON.stringify(rows.slice(0, 3))}… server ${JSON.stringify(expected.slice(0, 3))}…`;
      listWaitedMs = Date.now() - listStarted;
      if (!listMatches) await sleep(500);
    }
    const rowsOnScreen = (await renderedRows(page)).length;

    const openTexts = expectedOpen;
    const otherInbound = [...sent.at.keys()].filter((t) => t.startsWith("in ") && !sent.openInbound.includes(t));
    const thread = latencies(sent.at, seen, openTexts);
    // The console's own share: its websocket had the event → the message was on screen.
    const receivedAt = new Map(Object.entries(received));
    const inPage = latencies(
      receivedAt,
      seen,
      openTexts.filter((t) => receivedAt.has(t) && !t.startsWith("ui ")),
    );
    const list = latencies(sent.at, seen, otherInbound);
    const minutes = sendSeconds / 60;
    const row = (label: string, f: PhaseFigures) =>
      `| ${label} | ${f.frames} | ${f.over50} | ${f.over100} | ${ms(f.p50)} | ${ms(f.p99)} | ${ms(f.max)} | ` +
      `${f.longTasks} (${ms(f.longTaskMs)} ms, max ${ms(f.longTaskMax)}) | ${f.loafs} (blocking ${ms(f.loafBlockingMs)} ms, max ${ms(f.loafMax)}) |`;
    const checks: [string, boolean][] = [
      [`load: p99 frame ≤ ${LIMITS.p99FrameMs} ms (${ms(load.p99)})`, load.p99 <= LIMITS.p99FrameMs],
      [`load: frames > 100 ms ≤ ${LIMITS.framesOver100} (${load.over100})`, load.over100 <= LIMITS.framesOver100],
      [`open thread: none lost (${lost}), none twice (${twice}), none extra (${extra})`, !lost && !twice && !extra],
      ["open thread: the stored messages in the server's order", inOrder],
      [
        `open thread: stored as written (customer ${inboundInOrder}, posts ${postsInOrder}, not stored ${notStored})`,
        inboundInOrder && postsInOrder && !notStored,
      ],
      [`inbox list: ${rowsOnScreen} rows on screen = the server's first rows, unread counts too`, listMatches],
      [`every request accepted (${sent.failed} refused)`, sent.failed === 0],
    ];
    const ok = checks.every(([, pass]) => pass);
    console.log(
      [
        "",
        `pnpm start (simulator mode); Chromium ${browser.version()} headless 1366×768; ${CUSTOMERS} conversations; ` +
          `open conversation: ${stored.length} messages at the end`,
        `load: ${sendSeconds.toFixed(1)} s, ${Math.round(sent.liveEvents / minutes)} message events/min sent ` +
          `(${expectedOpen.length} into the open conversation), ${Math.round(load.envelopes / minutes)} envelopes/min ` +
          `received by the page (conversation updates included)`,
        "",
        "| phase | frames | > 50 ms | > 100 ms | p50 ms | p99 ms | max ms | long tasks | long animation frames |",
        "|---|---|---|---|---|---|---|---|---|",
        row(`idle ${IDLE} s`, idle),
        row(`load ${DURATION} s + settle`, load),
        "",
        `JS heap after GC: ${heapBefore.toFixed(1)} → ${heapAfter.toFixed(1)} MB (${(heapAfter - heapBefore).toFixed(1)} MB); ` +
          `DOM nodes ${idle.domNodes} → ${load.domNodes}`,
        `sent → on screen, open thread: p50 ${ms(thread.p50)} ms, p99 ${ms(thread.p99)} ms (${thread.seen} of ${thread.of} seen); ` +
          `of that in the page, websocket → on screen: p50 ${ms(inPage.p50)} ms, p99 ${ms(inPage.p99)} ms`,
        `sent → preview in the list, other conversations: p50 ${ms(list.p50)} ms, p99 ${ms(list.p99)} ms ` +
          `(${list.seen} of ${list.of} seen; a preview replaced before the list refreshed is never seen)`,
        `inbox list matched the server after ${listWaitedMs} ms${listDiff ? `: ${listDiff}` : ""}`,
        "",
        ...checks.map(([label, pass]) => `${pass ? "PASS" : "FAIL"}  ${label}`),
      ].join("\n"),
    );
    await context.close();
    return ok;
  } finally {
    await browser.close();
    await product.destroy();
    closeWebhookConnections();
  }
}

process.exit((await main()) ? 0 : 1);
