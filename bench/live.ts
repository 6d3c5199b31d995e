/**
 * Real time under load (issue 19), through `pnpm start` as users run it: how long until what a customer writes is on
 * an agent's screen, and until a colleague's reply or note is on another agent's screen.
 *
 *   1. CONSOLES consoles connect to /api/ws, each a user of its own: a measured admin, a measured agent of the
 *      team the WhatsApp number routes to ("Support"), the rest agents of OTHER_TEAMS other teams, who may see
 *      none of this traffic (their consoles must receive no message event: filtering is part of the cost).
 *   2. Inbound: signed text deliveries posted straight to /webhooks/whatsapp, open loop at RATE per second for
 *      DURATION seconds, from CUSTOMERS customers. Latency: request sent → message.created on the admin's console.
 *   3. Replies and notes: the admin posts a text reply or a private note (alternating) to the conversations, open
 *      loop at REPLY_RATE per second for DURATION seconds, while inbound deliveries keep arriving at RATE.
 *      Latency: request sent → message.created on the agent's console.
 *   Before 2 and 3, MIX_WARMUP seconds of the same mix (deliveries and replies/notes) run unmeasured, so the phases
 *   measure warm processes, not the first second of each kind of traffic after `pnpm start` (MIX_WARMUP=0 does).
 *   Event-loop delay of the api and the worker over each phase comes from their /metrics (prom-client's
 *   monitorEventLoopDelay, reset at every scrape), and so do the api's garbage collections (count and pause time by
 *   kind) in each phase.
 *
 * Lost events and events out of order per conversation are counted; both must be 0.
 *
 *   pnpm --filter @inbox/bench live     (RATE=200 REPLY_RATE=50 DURATION=15 CUSTOMERS=500 CONSOLES=2 OTHER_TEAMS=10
 *                                        MIX_WARMUP=5)
 */
import { randomBytes } from "node:crypto";
import { monitorEventLoopDelay } from "node:perf_hooks";
import WebSocket from "ws";
import { createUserAccount } from "@inbox/core";
import { ApiClient, openSessions, percentile, type Session } from "./api-clients";
import { startProduct, waitFor, type RunningProduct } from "./product";
import { closeWebhookConnections, eventLoopDelay, gcBetween, postWebhook, textMessagesDelivery } from "./webhook-load";

const RATE = Number(process.env.RATE ?? 200);
const REPLY_RATE = Number(process.env.REPLY_RATE ?? 50);
const DURATION = Number(process.env.DURATION ?? 15);
const CUSTOMERS = Number(process.env.CUSTOMERS ?? 500);
const CONSOLES = Math.max(2, Number(process.env.CONSOLES ?? 2));
const OTHER_TEAMS = Number(process.env.OTHER_TEAMS ?? 10);
const POSTERS = 16;
const MIX_WARMUP = Number(process.env.MIX_WARMUP ?? 5);
/** The simulator reports sent, delivered and read 0.3 s apart: the last status of the warm-up is back by then. */
const STATUSES_SETTLE_MS = 1_500;
const APP_SECRET = "bench-live-app-secret";
const PHONE_NUMBER_ID = "106540352242922";
const METRICS_TOKEN = randomBytes(16).toString("hex");

interface LiveMessage {
  type: string;
  conversationId?: string;
  message?: { text: string | null; direction: string };
}

/** A console's websocket, keeping the arrival time of every message.created by its text. */
class Console {
  readonly arrivals = new Map<string, number>();
  /** Per conversation and kind, the sequence numbers (from the text) in arrival order. */
  readonly order = new Map<string, number[]>();
  messageEvents = 0;
  private constructor(private readonly socket: WebSocket) {
    socket.on("message", (data: Buffer) => {
      const at = performance.now();
      const { event } = JSON.parse(data.toString()) as { event?: LiveMessage };
      if (event?.type !== "message.created" || !event.message?.text) return;
      this.messageEvents++;
      this.arrivals.set(event.message.text, at);
      // "<kind> <run> #<seq>": order is checked per conversation and kind (inbound, replies).
      const [, kind, seq] = /^(\S+) .*#(\d+)$/.exec(event.message.text) ?? [];
      if (kind && seq && event.conversationId) {
        const key = `${event.conversationId} ${kind}`;
        const list = this.order.get(key) ?? [];
        list.push(Number(seq));
        this.order.set(key, list);
      }
    });
  }

  static async open(port: number, session: Session): Promise<Console> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/ws`, {
      headers: { cookie: session.cookie, origin: `http://127.0.0.1:${port}` },
    });
    await new Promise<void>((resolve, reject) => socket.once("open", resolve).once("error", reject));
    return new Console(socket);
  }

  /** Conversations whose events did not arrive in the order they were sent. */
  reordered(): number {
    let count = 0;
    for (const seqs of this.order.values()) if (seqs.some((s, i) => i > 0 && s < seqs[i - 1]!)) count++;
    return count;
  }

  close(): void {
    this.socket.close();
  }
}

/** One signed delivery of Meta's text-message shape; resolves with the status. */
const deliver = (port: number, phone: string, wamid: string, text: string) =>
  postWebhook(
    { port, path: "/webhooks/whatsapp", appSecret: APP_SECRET },
    textMessagesDelivery(phone, [{ text, wamid }]),
  );

/** Calls `send(i)` RATE times a second for `seconds`, without waiting for answers (open loop). */
async function openLoop(rate: number, seconds: number, send: (i: number) => Promise<unknown>): Promise<void> {
  const total = Math.round(rate * seconds);
  const started = performance.now();
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(send(i));
  }
  await Promise.all(pending);
}

interface Latencies {
  sent: number;
  received: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Events slower than the 150 ms goal, grouped by when they were sent (a stall shows as one burst). */
  bursts: Burst[];
  /** Wall-clock time of the first event, to match a burst with the database's or the system's own logs. */
  startedAt: Date;
}

/** Slow events sent within BURST_GAP_MS of each other: `at` is seconds since the phase's first event. */
interface Burst {
  at: number;
  count: number;
  max: number;
}

const GOAL_MS = 150;
const BURST_GAP_MS = 250;

function burstsOf(slow: { at: number; latency: number }[]): Burst[] {
  const bursts: (Burst & { last: number })[] = [];
  for (const { at, latency } of slow.sort((a, b) => a.at - b.at)) {
    const current = bursts.at(-1);
    if (current && at - current.last <= BURST_GAP_MS) {
      current.count++;
      current.max = Math.max(current.max, latency);
      current.last = at;
    } else bursts.push({ at, count: 1, max: latency, last: at });
  }
  return bursts.map(({ at, count, max }) => ({ at, count, max }));
}

function latencies(sentAt: Map<string, number>, arrivals: Map<string, number>): Latencies {
  const values: number[] = [];
  const slow: { at: number; latency: number }[] = [];
  const first = Math.min(...sentAt.values());
  for (const [text, at] of sentAt) {
    const arrived = arrivals.get(text);
    if (arrived === undefined) continue;
    values.push(arrived - at);
    if (arrived - at > GOAL_MS) slow.push({ at: at - first, latency: arrived - at });
  }
  values.sort((a, b) => a - b);
  return {
    bursts: burstsOf(slow),
    startedAt: new Date(performance.timeOrigin + first),
    sent: sentAt.size,
    received: values.length,
    p50: percentile(values, 50),
    p90: percentile(values, 90),
    p99: percentile(values, 99),
    max: values.at(-1) ?? NaN,
  };
}

/** How many of the texts sent have arrived at the console. */
function received(sent: Map<string, number>, console: Console): number {
  let n = 0;
  for (const text of sent.keys()) if (console.arrivals.has(text)) n++;
  return n;
}

async function openConsoles(product: RunningProduct): Promise<{ admin: Console; agent: Console; others: Console[] }> {
  const { db, port, sessionSecret } = product;
  const system = { type: "system" } as const;
  const password = "bench-password-123456";
  const support = await db.team.findUniqueOrThrow({ where: { name: "Support" } });
  const agent = await createUserAccount(db, system, {
    email: "agent@bench.example",
    name: "Agent",
    password,
    role: "agent",
    teamIds: [support.id],
  });
  // The other consoles' users share the first agent's password hash: argon2 once, not 200 times.
  const { passwordHash } = await db.user.findUniqueOrThrow({ where: { id: agent.id } });
  const teams = await Promise.all(
    Array.from({ length: OTHER_TEAMS }, (_, i) => db.team.create({ data: { name: `Team ${i + 1}` } })),
  );
  const sessionOf = async (email: string, pw: string): Promise<Session> =>
    (await openSessions(db, { email, password: pw, sessionSecret, count: 1 }))[0]!;
  const others: Console[] = [];
  for (let i = 0; i < CONSOLES - 2; i++) {
    const user = await db.user.create({
      data: {
        email: `other${i}@bench.example`,
        name: `Other ${i}`,
        passwordHash,
        role: "agent",
        memberships: { create: { teamId: teams[i % teams.length]!.id } },
      },
    });
    others.push(await Console.open(port, await sessionOf(user.email, password)));
  }
  return {
    admin: await Console.open(port, await sessionOf(product.admin.email, product.admin.password)),
    agent: await Console.open(port, await sessionOf("agent@bench.example", password)),
    others,
  };
}

async function main(): Promise<void> {
  const product = await startProduct({
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
    METRICS_TOKEN,
  });
  try {
    const { admin, agent, others } = await openConsoles(product);
    const customers = Array.from({ length: CUSTOMERS }, (_, i) => `49170${String(3_000_000 + i)}`);
    const run = randomBytes(3).toString("hex");

    // Warm-up: every customer writes once, so phase 2 has conversations (and opens every code path once).
    await openLoop(RATE, CUSTOMERS / RATE, (i) => deliver(product.port, customers[i]!, `wamid.w-${run}-${i}`, `w${i}`));
    await waitFor(
      "the warm-up conversations",
      60_000,
      async () => (await product.db.conversation.count()) >= CUSTOMERS,
    );
    const conversationIds = (await product.db.conversation.findMany({ select: { id: true } })).map((c) => c.id);
    // Several tabs of the admin, one connection each, so a slow answer does not hold up the next post.
    const posters = (
      await openSessions(product.db, { ...product.admin, sessionSecret: product.sessionSecret, count: POSTERS })
    ).map((session) => new ApiClient(product.port, session));
    let nextPoster = 0;
    const post = (i: number, text: string) =>
      posters[nextPoster++ % posters.length]!.postMessage(
        conversationIds[i % conversationIds.length]!,
        i % 2 ? "note" : "text",
        text,
      );
    // Warm-up of the measured mix, unmeasured: MIX_WARMUP seconds of deliveries to these (now existing)
    // conversations and of replies and notes, then time for the replies' sent/delivered/read statuses to come back.
    // Without it, the measured phases start with the first seconds of each kind of traffic in freshly started
    // processes (code run for the first time): a burst 0.1-0.8 s into each phase, see docs/performance.md.
    // MIX_WARMUP=0 measures that cold start.
    if (MIX_WARMUP > 0) {
      await Promise.all([
        openLoop(RATE, MIX_WARMUP, (i) =>
          deliver(product.port, customers[i % CUSTOMERS]!, `wamid.mw-${run}-${i}`, `mw ${run} ${i}`),
        ),
        openLoop(REPLY_RATE, MIX_WARMUP, (i) => post(i, `mw-out ${run} #${i}`)),
      ]);
      await new Promise((resolve) => setTimeout(resolve, STATUSES_SETTLE_MS));
    }
    // Phase 1: inbound only. The benchmark's own event loop (load generator and consoles share it) is watched
    // too: a stall here is added to every latency it measures.
    const ownLoop = monitorEventLoopDelay({ resolution: 5 });
    ownLoop.enable();
    const loop0 = await eventLoopDelay(product.port, METRICS_TOKEN);
    const inboundSent = new Map<string, number>();
    let refused = 0;
    await openLoop(RATE, DURATION, async (i) => {
      const text = `in ${run} #${i}`;
      inboundSent.set(text, performance.now());
      const status = await deliver(product.port, customers[i % CUSTOMERS]!, `wamid.in-${run}-${i}`, text);
      if (status !== 200) refused++;
    });
    await waitFor("inbound events", 10_000, async () => received(inboundSent, admin) === inboundSent.size).catch(
      () => undefined,
    );
    const loop1 = await eventLoopDelay(product.port, METRICS_TOKEN);
    const inbound = latencies(inboundSent, admin.arrivals);
    const ownLoop1 = { p99: ownLoop.percentile(99) / 1e6, max: ownLoop.max / 1e6 };
    ownLoop.reset();

    // Phase 2: replies and notes posted by the admin, read on the agent's console, while inbound continues.
    const postSent = new Map<string, number>();
    const postAnswered = new Map<string, number>();
    let postFailed = 0;
    await Promise.all([
      openLoop(RATE, DURATION, (i) =>
        deliver(product.port, customers[i % CUSTOMERS]!, `wamid.bg-${run}-${i}`, `bg ${run} ${i}`),
      ),
      openLoop(REPLY_RATE, DURATION, async (i) => {
        const text = `out ${run} #${i}`;
        postSent.set(text, performance.now());
        const answer = await post(i, text);
        postAnswered.set(text, performance.now());
        if (answer.status !== 202) postFailed++;
      }),
    ]);
    await waitFor("reply events", 10_000, async () => received(postSent, agent) === postSent.size).catch(
      () => undefined,
    );
    const loop2 = await eventLoopDelay(product.port, METRICS_TOKEN);
    const replies = latencies(postSent, agent.arrivals);
    const answers = latencies(postSent, postAnswered);
    const ownLoop2 = { p99: ownLoop.percentile(99) / 1e6, max: ownLoop.max / 1e6 };
    ownLoop.disable();
    const leaked = others.reduce((sum, c) => sum + c.messageEvents, 0);

    const row = (label: string, l: Latencies) =>
      `| ${label} | ${l.sent} | ${l.sent - l.received} | ${l.p50.toFixed(1)} | ${l.p90.toFixed(1)} | ${l.p99.toFixed(1)} | ${l.max.toFixed(1)} |`;
    const delay = (l: { p99: number; max: number }) => `p99 ${l.p99.toFixed(1)} ms, max ${l.max.toFixed(1)} ms`;
    const slowest = (l: Latencies) =>
      l.bursts.length === 0
        ? "none"
        : `${l.bursts.reduce((n, b) => n + b.count, 0)} in ${l.bursts.length} burst(s) (phase from ` +
          `${l.startedAt.toISOString()}): ` +
          l.bursts.map((b) => `${(b.at / 1000).toFixed(2)} s ×${b.count} max ${b.max.toFixed(0)} ms`).join(", ");
    const loop = (l: { p99: number; max: number } | null) =>
      l ? `event-loop delay of the api: ${delay(l)}` : "no /metrics";
    console.log(
      [
        "",
        `pnpm start (api, worker, simulator in processes of their own); ${CONSOLES} consoles connected ` +
          `(${CONSOLES - 2} of ${OTHER_TEAMS} other teams); ${CUSTOMERS} customers; ${DURATION} s per phase`,
        "",
        "| path | events | lost | p50 ms | p90 ms | p99 ms | max ms |",
        "|---|---|---|---|---|---|---|",
        row(`webhook sent → admin's console, ${RATE}/s`, inbound),
        row(`reply/note posted → colleague's console, ${REPLY_RATE}/s (+ ${RATE}/s inbound)`, replies),
        "",
        `over ${GOAL_MS} ms, by when sent: inbound ${slowest(inbound)}; replies/notes ${slowest(replies)}`,
        `phase 1: ${loop(loop1)}; ${refused} deliveries not answered 200; the benchmark's own loop ${delay(ownLoop1)}`,
        `phase 2: ${loop(loop2)}; ${postFailed} posts not answered 202; the benchmark's own loop ${delay(ownLoop2)}`,
        `phase 2: post → its 202 answer p50 ${answers.p50.toFixed(1)}, p90 ${answers.p90.toFixed(1)}, ` +
          `p99 ${answers.p99.toFixed(1)}, max ${answers.max.toFixed(1)} ms`,
        `garbage collections of the api, phase 1: ${gcBetween(loop0?.gc, loop1?.gc)}; ` +
          `phase 2: ${gcBetween(loop1?.gc, loop2?.gc)}`,
        `conversations with events out of order: admin ${admin.reordered()}, agent ${agent.reordered()}`,
        `message events received by consoles of other teams (must be 0): ${leaked}`,
      ].join("\n"),
    );
    for (const c of [admin, agent, ...others]) c.close();
    for (const p of posters) p.close();
  } finally {
    await product.destroy();
    closeWebhookConnections();
  }
}

await main();
process.exit(0);
