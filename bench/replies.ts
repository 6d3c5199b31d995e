/**
 * Replies through `pnpm start` (docs/performance.md, "Through pnpm start"): starts the product as a user does
 * (`pnpm start` in the repository, simulator mode, on a fresh database and a Redis of its own), then, from outside:
 *
 *   1. CUSTOMERS customers write in (the simulator's customer API: a signed webhook each, to the api);
 *   2. GET /api/auth/me, one request at a time (ME_REQUESTS);
 *   3. private notes (no worker involved), NOTE_CLIENTS clients, one note per conversation;
 *   4. text replies posted one at a time (SINGLE replies);
 *   5. CLIENTS clients post one text reply per conversation (CUSTOMERS replies), and the worker sends them through
 *      the simulator at its default 80 msg/s: intake rate, then first queued → last sent.
 *
 * Every client has its own session and its own keep-alive connection. Figures are printed as a table.
 *
 *   pnpm --filter @inbox/bench replies      (CUSTOMERS=800 CLIENTS=32 NOTE_CLIENTS=16 ME_REQUESTS=200 SINGLE=50)
 *   PROFILE_DIR=<dir> runs the same entry point under `node --cpu-prof` instead: a CPU profile per process.
 */
import { randomBytes } from "node:crypto";
import { ApiClient, openSessions, percentile, runClients, type LoadResult } from "./api-clients";
import { startProduct, waitFor } from "./product";
import { eventLoopDelay } from "./webhook-load";

const CUSTOMERS = Number(process.env.CUSTOMERS ?? 800);
const CLIENTS = Number(process.env.CLIENTS ?? 32);
const NOTE_CLIENTS = Number(process.env.NOTE_CLIENTS ?? 16);
const ME_REQUESTS = Number(process.env.ME_REQUESTS ?? 200);
const SINGLE = Number(process.env.SINGLE ?? 50);
const METRICS_TOKEN = randomBytes(16).toString("hex");
/** The simulator's default throughput per number (Meta's default), which `pnpm start` does not change. */
const SIMULATOR_LIMIT = 80;

async function main(): Promise<void> {
  const product = await startProduct({ METRICS_TOKEN });
  const { port, simulatorPort, sessionSecret, startSeconds } = product;
  const t = { db: product.db };
  const { email, password } = product.admin;
  try {
    const sessions = await openSessions(t.db, { email, password, sessionSecret, count: CLIENTS });
    const clients = sessions.map((s) => new ApiClient(port, s));

    // 1. Customers write in through the simulator (signed webhooks to the api).
    const customers = Array.from({ length: CUSTOMERS }, (_, i) => `+4917${String(20_000_000 + i)}`);
    const inbound = await runClients(
      Array.from({ length: 32 }, () => new ApiClient(simulatorPort, { cookie: "", csrfToken: "" })),
      customers,
      (client, phone) =>
        client.request("POST", "/_customer/messages", { phone, type: "text", text: "Hallo, ich habe eine Frage." }),
      200,
    );
    await waitFor("every customer's conversation", 60_000, async () => (await t.db.conversation.count()) >= CUSTOMERS);
    const conversationIds = (
      await t.db.conversation.findMany({ select: { id: true }, orderBy: { createdAt: "asc" } })
    ).map((c) => c.id);

    // 2. GET /api/auth/me, one at a time.
    const me: number[] = [];
    for (let i = 0; i < ME_REQUESTS; i++) {
      const answer = await clients[i % clients.length]!.request("GET", "/api/auth/me");
      if (answer.status !== 200) throw new Error(`GET /api/auth/me answered ${answer.status}: ${answer.body}`);
      me.push(answer.ms);
    }
    me.sort((a, b) => a - b);

    // 3. Private notes: the api alone (no job, no send).
    const notes = await runClients(
      clients.slice(0, NOTE_CLIENTS),
      conversationIds,
      (client, id) => client.postMessage(id, "note", "Interne Notiz"),
      202,
    );

    // 4. Text replies one at a time.
    const single = await runClients(
      clients.slice(0, 1),
      conversationIds.slice(0, SINGLE),
      (client, id) => client.postMessage(id, "text", "Einzelne Antwort"),
      202,
    );
    await waitFor("the single replies to be sent", 60_000, async () => (await unsent(t.db)) === 0);

    // 5. CLIENTS clients reply to every conversation; the worker sends at the simulator's limit.
    const marker = `Antwort ${randomBytes(4).toString("hex")}`;
    // Reading /metrics resets the event-loop delay histograms: what is read after step 5 covers step 5.
    const loopDelay = () =>
      Promise.all([eventLoopDelay(port, METRICS_TOKEN), eventLoopDelay(product.workerMetricsPort, METRICS_TOKEN)]);
    await loopDelay();
    const throttlingBefore = await sendThrottling(product.workerMetricsPort);
    const replies = await runClients(
      clients,
      conversationIds,
      (client, id) => client.postMessage(id, "text", marker),
      202,
    );
    await waitFor("every reply to be sent", 120_000 + CUSTOMERS * 50, async () => (await unsent(t.db)) === 0);
    const [apiLoop, workerLoop] = await loopDelay();
    const throttlingAfter = await sendThrottling(product.workerMetricsPort);
    const throttling = (event: string) => (throttlingAfter.get(event) ?? 0) - (throttlingBefore.get(event) ?? 0);
    const [sendRow] = await t.db.$queryRaw<
      { sent: bigint; failed: bigint; firstQueued: Date; firstSent: Date; lastSent: Date }[]
    >`SELECT count(*) FILTER (WHERE "sentAt" IS NOT NULL) AS sent, count(*) FILTER (WHERE status = 'failed') AS failed,
             min("createdAt") AS "firstQueued", min("sentAt") AS "firstSent", max("sentAt") AS "lastSent"
        FROM "Message" WHERE direction = 'outbound' AND type = 'text' AND text = ${marker}`;
    // Where the send time went: sends claimed more than once (deferred to their slot) and the time
    // between consecutive sends beyond the limiter's spacing (1000 / (80 × 0.97) ≈ 12.9 ms): stalls and lost slots.
    const [retryRow] = await t.db.$queryRaw<{ retried: bigint }[]>`
      SELECT count(*) FILTER (WHERE attempts > 1) AS retried FROM "Message" WHERE direction = 'outbound' AND type = 'text' AND text = ${marker}`;
    const sentTimes = (
      await t.db.$queryRaw<{ at: Date }[]>`
        SELECT "sentAt" AS at FROM "Message" WHERE direction = 'outbound' AND type = 'text' AND text = ${marker}
           AND "sentAt" IS NOT NULL ORDER BY "sentAt"`
    ).map((r) => r.at.getTime());
    const spacing = 1000 / (SIMULATOR_LIMIT * 0.97);
    const gaps = sentTimes.slice(1).map((at, i) => at - sentTimes[i]!);
    const lostMs = gaps.reduce((sum, g) => sum + Math.max(0, g - spacing), 0);
    const longGaps = gaps.filter((g) => g > 50).length;
    const sent = Number(sendRow!.sent);
    const spanSeconds = (sendRow!.lastSent.getTime() - sendRow!.firstQueued.getTime()) / 1000;
    const sendRate = sent / spanSeconds;

    const stopStarted = performance.now();
    const code = await product.stop();
    const stopSeconds = (performance.now() - stopStarted) / 1000;
    for (const c of clients) c.close();

    const row = (label: string, r: LoadResult) =>
      `| ${label} | ${r.requests} | ${r.failed} | ${r.perSecond.toFixed(1)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} |`;
    console.log(
      [
        "",
        `pnpm start: banner after ${startSeconds.toFixed(1)} s; stopped by one SIGINT in ${stopSeconds.toFixed(1)} s (exit code ${code})`,
        "",
        "| step | requests | failed | req/s | p50 ms | p99 ms |",
        "|---|---|---|---|---|---|",
        row(`customers write in (simulator → webhook), 32 in flight`, inbound),
        `| GET /api/auth/me, one at a time | ${ME_REQUESTS} | 0 | ${(1000 / (me.reduce((a, b) => a + b, 0) / me.length)).toFixed(1)} | ${percentile(me, 50).toFixed(1)} | ${percentile(me, 99).toFixed(1)} |`,
        row(`private notes, ${NOTE_CLIENTS} clients`, notes),
        row("text replies, one at a time", single),
        row(`text replies, ${CLIENTS} clients (intake)`, replies),
        "",
        `${CUSTOMERS} replies by ${CLIENTS} clients: ${sent} sent, ${Number(sendRow!.failed)} failed; first queued → last sent ` +
          `${spanSeconds.toFixed(2)} s = ${sendRate.toFixed(1)} msg/s = ${((sendRate / SIMULATOR_LIMIT) * 100).toFixed(1)} % ` +
          `of the simulator's ${SIMULATOR_LIMIT} msg/s (first queued → first sent ` +
          `${sendRow!.firstSent.getTime() - sendRow!.firstQueued.getTime()} ms)`,
        `send gaps: ${longGaps} over 50 ms, ${(lostMs / 1000).toFixed(2)} s beyond the ${spacing.toFixed(1)} ms spacing; ` +
          `${Number(retryRow!.retried)} sends were claimed more than once (deferred: no slot within 7 s, or 130429 after re-booking); ` +
          `worker: ${throttling("throughput_refused")} × 130429 re-booked in the same attempt, ${throttling("slot_missed")} slots missed ` +
          `by > 50 ms and re-booked, ${throttling("deferred")} sends deferred to their slot; ` +
          `event-loop delay p99 / max while sending: api ${apiLoop ? `${apiLoop.p99.toFixed(1)} / ${apiLoop.max.toFixed(1)} ms` : "?"}, ` +
          `worker ${workerLoop ? `${workerLoop.p99.toFixed(1)} / ${workerLoop.max.toFixed(1)} ms` : "?"}`,
        (notes.firstFailure ?? replies.firstFailure ?? single.firstFailure)
          ? `first failure: ${notes.firstFailure ?? replies.firstFailure ?? single.firstFailure}`
          : "",
      ].join("\n"),
    );
  } finally {
    await product.destroy();
  }
}

/** The worker's inbox_send_throttling_total by event (slot_missed, throughput_refused, deferred). */
async function sendThrottling(port: number): Promise<Map<string, number>> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    signal: AbortSignal.timeout(10_000),
  }).catch(() => null);
  const text = res?.ok ? await res.text() : "";
  const counts = new Map<string, number>();
  for (const m of text.matchAll(/^inbox_send_throttling_total\{[^}]*event="([a-z_]+)"[^}]*\} (\S+)$/gm))
    counts.set(m[1]!, Number(m[2]));
  return counts;
}

/** Outbound text messages not yet handed to Meta (queued or sending). */
async function unsent(db: { message: { count(args: object): Promise<number> } }): Promise<number> {
  return db.message.count({ where: { direction: "outbound", status: { in: ["queued", "sending"] } } });
}

await main();
process.exit(0);
