/**
 * Outbound benchmark (docs/performance.md, "Outbound"): one real worker process (bench/outbound-worker.ts: BullMQ,
 * Redis limiter, Postgres, GraphClient over keep-alive HTTP) against Cloud API simulators in SIM_PROCS forked child
 * processes (default 1), one simulator per phone number with Meta's sliding-second throughput check (130429 when
 * exceeded). This process stores the messages, as the api would, and reads the results from the database.
 *
 *   (a) throughput: one number, limit 80 msg/s, a backlog of 80 × SECONDS messages queued at once;
 *   (b) throughput: 10 numbers at 100 msg/s each, backlog of 1,000 × SECONDS, one worker process;
 *   (c) latency: the same 10 numbers offered 90 % of their limit for SECONDS (stored → accepted by Graph);
 *   intake: replies posted through the api by CLIENTS console clients, against the webhook maximum of the same api
 *           (bench/outbound-intake.ts).
 * Every message goes to its own recipient (the pair limit is tested in the worker's tests). "msg/s" runs from the
 * first to the last send; the sustained figure from the 10th to the 90th percentile of send times (without the
 * start, when 400 jobs claim at once, and the drain). HIST=1 prints sends per half second (HIST=100: per 100 ms).
 *
 *   pnpm --filter @inbox/bench outbound        (SECONDS=15, SCENARIOS=a,b,c,intake)
 */
import { createDb, createPgPool, type PgPool } from "@inbox/db";
import { createTestDatabase, createTestRedisPrefix, prepareTemplateDatabase, TEST_REDIS_URL } from "@inbox/db/testing";
import { createRedis, JobQueues, OutboxRelay } from "@inbox/jobs";
import { createLogger } from "@inbox/logger";
import { phoneNumberIdFor } from "./outbound-numbers";
import { intakeScenario, type IntakeRound } from "./outbound-intake";
import { startSimulators, startWorkerProcess } from "./outbound-processes";

const SECONDS = Number(process.env.SECONDS ?? 15);
/** Simulator processes per scenario (numbers spread over them). */
const SIM_PROCS = Number(process.env.SIM_PROCS ?? 1);
const LOG_LEVEL = (process.env.LOG_LEVEL ?? "warn") as "warn";
const log = createLogger({ name: "bench", level: LOG_LEVEL, pretty: false });

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/**
 * Stores `count` queued text messages (each to its own new contact) and their outbox rows, as queueOutboundMessage
 * does, in one statement per 2,000 (the producer must keep its pace in the paced scenario).
 */
async function storeQueued(pool: PgPool, channelIds: string[], count: number, tag: string): Promise<void> {
  for (let offset = 0; offset < count; offset += 2_000) {
    const n = Math.min(2_000, count - offset);
    const rows = Array.from({ length: n }, (_, i) => ({
      channelId: channelIds[(offset + i) % channelIds.length]!,
      waId: `4915${tag}${String(offset + i).padStart(7, "0")}`,
    }));
    await pool.query(
      `WITH input AS (
         SELECT gen_random_uuid() AS contact, gen_random_uuid() AS conversation, gen_random_uuid() AS message, t.channel, t.wa
         FROM unnest($1::uuid[], $2::text[]) AS t(channel, wa)
       ), contacts AS (
         INSERT INTO "Contact" (id, "channelId", "waId", "updatedAt") SELECT contact, channel, wa, now() FROM input RETURNING id
       ), conversations AS (
         INSERT INTO "Conversation" (id, "channelId", "contactId", "activeContactId", "lastInboundAt", "updatedAt")
         SELECT i.conversation, i.channel, c.id, c.id, now() AT TIME ZONE 'UTC', now() FROM input i JOIN contacts c ON c.id = i.contact
         RETURNING id
       ), messages AS (
         INSERT INTO "Message" (id, "conversationId", "channelId", direction, type, text, status, "clientId", "createdAt", "statusAt", "updatedAt")
         SELECT i.message, v.id, i.channel, 'outbound', 'text', 'Benchmark', 'queued', i.message::text,
                now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', now() FROM input i JOIN conversations v ON v.id = i.conversation
         RETURNING id
       )
       INSERT INTO "OutboxJob" (name, payload, "jobId") SELECT 'message.send', jsonb_build_object('messageId', id), 'message.send-' || id FROM messages`,
      [rows.map((r) => r.channelId), rows.map((r) => r.waId)],
    );
  }
}

interface Result {
  label: string;
  numbers: number;
  limitPerNumber: number;
  messages: number;
  sent: number;
  failed: number;
  rate: number;
  /** Paced: the rate at which messages were actually stored (the producer's own pace). */
  offered: number;
  rateOfLimit: number;
  /** The rate between the 10th and the 90th percentile of send times: without the start and the drain. */
  sustained: number;
  rateLimitHits: number;
  rebooked: number;
  p50: number;
  p99: number;
  /** CPU of the worker process (BullMQ, limiter, sends, its outbox relay), % of one core. */
  cpu: number;
  /** The worker's CPU from start to stop per message sent (ms): survives a busy machine, unlike the rates. */
  cpuPerSend: number;
}

async function scenario(label: string, numbers: number, limit: number, mode: "backlog" | "paced"): Promise<Result> {
  const t = await createTestDatabase();
  const db = createDb(t.url, { max: 10 });
  const pool = createPgPool(t.url, { max: 2 });
  const redis = createRedis(TEST_REDIS_URL);
  const queues = new JobQueues(redis, createTestRedisPrefix());
  const { children, ports } = await startSimulators(numbers, limit, SIM_PROCS);
  const channelIds: string[] = [];
  for (let i = 0; i < numbers; i++) {
    const c = await db.channel.create({
      data: { type: "whatsapp", name: `Bench ${i}`, externalId: phoneNumberIdFor(i), throughputLimit: limit },
    });
    channelIds.push(c.id);
  }
  const total = numbers * limit * SECONDS * (mode === "paced" ? 0.9 : 1);
  if (mode === "backlog") await storeQueued(pool, channelIds, total, "1");
  // The production default (WORKER_OUTBOUND_CONCURRENCY) unless CONCURRENCY is given.
  const worker = await startWorkerProcess(
    t.url,
    queues.prefix,
    ports,
    process.env.CONCURRENCY ? Number(process.env.CONCURRENCY) : undefined,
  );
  // The api's side in paced mode: this process stores the messages and drains its outbox after each commit.
  const relay = new OutboxRelay(db, queues, log, 50);
  relay.start();
  const started = Date.now();
  if (mode === "paced") {
    // 90 % of the limit, in 100 ms slices, poking the relay like the api does after each commit.
    const perSlice = (numbers * limit * 0.9) / 10;
    let stored = 0;
    for (let slice = 0; stored < total; slice++) {
      const due = started + slice * 100;
      await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
      const n = Math.min(Math.round(perSlice), total - stored);
      await storeQueued(pool, channelIds, n, `2${slice}`);
      relay.poke();
      stored += n;
    }
  }
  for (;;) {
    const pending = await db.message.count({ where: { status: { in: ["queued", "sending"] } } });
    if (pending === 0 || Date.now() - started > SECONDS * 4_000 + 30_000) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const stats = await worker.stop();
  await relay.stop();

  const rows = await db.message.findMany({ where: { status: "sent" }, select: { createdAt: true, sentAt: true } });
  const storedTimes = rows.map((r) => r.createdAt.getTime()).sort((a, b) => a - b);
  const offered = mode === "paced" ? (storedTimes.length - 1) / ((storedTimes.at(-1)! - storedTimes[0]!) / 1000) : NaN;
  const failed = await db.message.count({ where: { status: "failed" } });
  const sentTimes = rows.map((r) => r.sentAt!.getTime()).sort((a, b) => a - b);
  const latencies = rows.map((r) => r.sentAt!.getTime() - r.createdAt.getTime()).sort((a, b) => a - b);
  const span = (sentTimes.at(-1)! - sentTimes[0]!) / 1000;
  const rate = (rows.length - 1) / span;
  const [from, to] = [Math.floor(sentTimes.length * 0.1), Math.floor(sentTimes.length * 0.9)];
  if (process.env.HIST) {
    // Diagnostic: sends per time bucket (start, steady state, drain).
    // HIST=<ms> picks the bucket (default 500 ms).
    const bucketMs = Number(process.env.HIST) > 1 ? Number(process.env.HIST) : 500;
    const perBucket = new Map<number, number>();
    for (const t of sentTimes) {
      const slot = Math.floor((t - sentTimes[0]!) / bucketMs) * (bucketMs / 1000);
      perBucket.set(slot, (perBucket.get(slot) ?? 0) + 1);
    }
    console.error([...perBucket].map(([at, n]) => `${at.toFixed(1)}s:${n}`).join(" "));
    if (stats.rateLimitHitTimes.length)
      console.error(
        "130429 at",
        stats.rateLimitHitTimes.map((t) => `${((t - sentTimes[0]!) / 1000).toFixed(2)}s`).join(" "),
      );
  }
  const sustained = (to - from) / ((sentTimes[to]! - sentTimes[from]!) / 1000);
  for (const c of children) c.kill();
  await queues.close();
  redis.disconnect();
  await db.$disconnect();
  await pool.end();
  await t.drop();
  return {
    label,
    numbers,
    limitPerNumber: limit,
    messages: total,
    sent: rows.length,
    failed,
    rate: Math.round(rate * 10) / 10,
    offered: Math.round(offered * 10) / 10,
    rateOfLimit: Math.round((rate / (numbers * limit)) * 1000) / 10,
    sustained: Math.round((sustained / (numbers * limit)) * 1000) / 10,
    rateLimitHits: stats.rateLimitHits,
    rebooked: process.env.NO_THROTTLE ? 0 : stats.booked - stats.sendAttempts,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    cpu: stats.cpu,
    cpuPerSend: Math.round((stats.cpuMs / Math.max(1, rows.length)) * 100) / 100,
  };
}

// Bounded in time: whatever happens, the benchmark ends (children follow through their IPC channel).
const WATCHDOG_MS = (SECONDS * 4_000 + 90_000) * 3;
setTimeout(() => {
  console.error(`benchmark did not finish within ${WATCHDOG_MS} ms; exiting`);
  process.exit(2);
}, WATCHDOG_MS).unref();

await prepareTemplateDatabase();
const results: Result[] = [];
// SCENARIOS=a,b,c (default all); ONLY_B=1 is kept as a shorthand for SCENARIOS=b.
const SCENARIOS = new Set((process.env.ONLY_B ? "b" : (process.env.SCENARIOS ?? "a,b,c,intake")).split(","));
if (SCENARIOS.has("a")) results.push(await scenario("(a) 1 number, limit 80/s, backlog", 1, 80, "backlog"));
if (SCENARIOS.has("b")) results.push(await scenario("(b) 10 numbers × 100/s, backlog", 10, 100, "backlog"));
if (SCENARIOS.has("c")) results.push(await scenario("(c) 10 numbers × 100/s, offered 90 %", 10, 100, "paced"));
const intake = SCENARIOS.has("intake") ? await intakeScenario() : [];
if (results.length) printSendResults(results);
if (intake.length) printIntake(intake);
process.exit(0);

function printIntake(rounds: IntakeRound[]): void {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const ratios = rounds.map((r) => r.intakePerSecond / r.webhookPerSecond);
  console.log(
    "\n| reply intake (api and worker in processes of their own) | round | webhook max msg/s (64 in flight) | replies/s (CLIENTS clients) | share of webhook max | p50 ms | p99 ms | failed |",
  );
  console.log("|---|---|---|---|---|---|---|---|");
  rounds.forEach((r, i) =>
    console.log(
      `| | ${i + 1} | ${r.webhookPerSecond.toFixed(0)} | ${r.intakePerSecond.toFixed(0)} | ${(ratios[i]! * 100).toFixed(1)} % | ${r.intakeP50.toFixed(1)} | ${r.intakeP99.toFixed(1)} | ${r.intakeFailed} |`,
    ),
  );
  console.log(
    `\nreply intake / webhook maximum, median of ${rounds.length} round(s): ${(median(ratios) * 100).toFixed(1)} %`,
  );
  const failure = rounds.find((r) => r.firstFailure)?.firstFailure;
  if (failure) console.log(`first failed reply: ${failure}`);
}

function printSendResults(results: Result[]): void {
  console.log(
    "\n| scenario | messages | sent | failed | stored msg/s | sent msg/s | % of limit | % of limit, 10th–90th percentile of sends | 130429 | slots re-booked | stored→accepted p50 | p99 | worker CPU | worker CPU ms / send |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const r of results) {
    const offered = Number.isNaN(r.offered) ? "backlog" : String(r.offered);
    console.log(
      `| ${r.label} | ${r.messages} | ${r.sent} | ${r.failed} | ${offered} | ${r.rate} | ${r.rateOfLimit} % | ${r.sustained} % | ${r.rateLimitHits} | ${r.rebooked} | ${r.p50} ms | ${r.p99} ms | ${r.cpu} % | ${r.cpuPerSend} |`,
    );
  }
}
