/**
 * Inbound benchmark (docs/performance.md, "Inbound"): in one run, on a fresh database,
 *   (a) the ceiling: a bare Fastify route doing one INSERT per request;
 *   (b) POST /webhooks/whatsapp with real signed payloads (one text message per delivery, 5,000 customers).
 * Open loop at fixed offered loads (requests are scheduled on a clock and latency is measured from the scheduled
 * time, so a slow server cannot slow the generator down), then a closed loop (64 in flight) for the maximum
 * sustained rate. The sequence runs ROUNDS times (the servers take turns, so a disturbance on the shared machine
 * hits both) and the summary gives the median of the rounds. Afterwards the stored rows are counted: every
 * acknowledged message exactly once.
 *
 * MIX=mixed sends what Meta sends a support inbox: per customer message three status webhooks (delivered, read and
 * sent of outbound messages stored beforehand), i.e. 75 % statuses; the check then counts the status reports too.
 *
 *   pnpm --filter @inbox/bench inbound          (RATES=500,1000,2000 SECONDS=6 CLOSED_SECONDS=6 ROUNDS=3 MIX=messages)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { createTestDatabase, createTestRedisPrefix, prepareTemplateDatabase } from "@inbox/db/testing";
import { STATUS_SENT_WEBHOOK, META_METADATA } from "@inbox/whatsapp/fixtures";
import {
  closeWebhookConnections,
  openLoop as runOpenLoop,
  postWebhook,
  textMessageDelivery,
  type WebhookTarget,
} from "./webhook-load";
import { DiskStallWatch } from "./disk-stalls";

const RATES = (process.env.RATES ?? "500,1000,2000").split(",").map(Number);
const SECONDS = Number(process.env.SECONDS ?? 6);
const CLOSED_SECONDS = Number(process.env.CLOSED_SECONDS ?? 6);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const CUSTOMERS = 5_000;
const MIX = process.env.MIX === "mixed" ? "mixed" : "messages";
/** Outbound messages the status webhooks of MIX=mixed report on (three reports each at most). */
const OUTBOUND = 120_000;
const APP_SECRET = `bench-${randomBytes(8).toString("hex")}`;
/**
 * STEP_STATS=1 prints, after each step, the server's GC pauses and event-loop delay during it, the load
 * generator's own event-loop delay (a late generator shows as latency of both servers) and the longest stall of this
 * machine's disks (bench/disk-stalls.ts: a stuck WAL flush holds every ack due meanwhile). Off by default: the
 * servers' 1 ms timer and GC observer and the disk sampling cost a little.
 */
const STEP_STATS = process.env.STEP_STATS === "1";
const here = path.dirname(fileURLToPath(import.meta.url));

interface Run {
  label: string;
  offered: number | "max";
  sent: number;
  ok: number;
  /** Acknowledged deliveries that were status webhooks (MIX=mixed). */
  statusOk: number;
  errors: number;
  seconds: number;
  latencies: number[];
}

interface Server {
  child: ChildProcess;
  port: number;
  /** STEP_STATS=1: the server's GC pauses and event-loop delay since the previous call (`STATS {json}`). */
  stats: () => Promise<string>;
}

function startServer(mode: "ceiling" | "webhook", url: string, prefix: string): Promise<Server> {
  // SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=prof" profiles the servers. Both run with the young generation
  // `pnpm start` gives its processes (apps/cli/src/commands/start.ts).
  const nodeArgs = ["--max-semi-space-size=64", ...(process.env.SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean)];
  const child = spawn(
    process.execPath,
    [...nodeArgs, "--import", "tsx", path.join(here, "inbound-server.ts"), mode, url, APP_SECRET, prefix],
    {
      cwd: here,
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, SERVER_STATS: STEP_STATS ? "1" : "" },
    },
  );
  let waiting: ((line: string) => void) | null = null;
  const stats = () =>
    new Promise<string>((resolve) => {
      waiting = resolve;
      child.kill("SIGUSR2");
    });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]), stats });
      const line = /^STATS (.*)$/m.exec(out);
      if (line && waiting) {
        out = out.slice(line.index + line[0].length);
        waiting(line[1]!);
        waiting = null;
      }
    });
    child.on("exit", (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
}

let counter = 0;
let statusCounter = 0;
const STATUS_STEPS = ["sent", "delivered", "read"] as const;
/** A status webhook for outbound message i (in order: sent, delivered, read). */
function statusDelivery(): { body: string; isStatus: boolean } {
  const n = statusCounter++;
  const p = JSON.parse(JSON.stringify(STATUS_SENT_WEBHOOK));
  const s = p.entry[0].changes[0].value.statuses[0];
  p.entry[0].changes[0].value.metadata = META_METADATA;
  s.id = `wamid.bench-out-${Math.floor(n / 3) % OUTBOUND}`;
  s.status = STATUS_STEPS[n % 3];
  s.timestamp = String(Math.floor(Date.now() / 1000));
  s.recipient_id = `4915${String(Math.floor(n / 3) % CUSTOMERS).padStart(9, "0")}`;
  return { body: JSON.stringify(p), isStatus: true };
}

function delivery(runId: string): { body: string; isStatus: boolean } {
  // Mixed traffic: three status webhooks per customer message.
  if (MIX === "mixed" && !runId.startsWith("warm") && (counter + statusCounter) % 4 !== 0) return statusDelivery();
  const n = counter++;
  const body = textMessageDelivery({
    from: `4915${String(n % CUSTOMERS).padStart(9, "0")}`,
    wamid: `wamid.bench-${runId}-${n}`,
    text: `Benchmark message ${n}`,
  });
  return { body, isStatus: false };
}

async function openLoop(target: WebhookTarget, label: string, rate: number, runId: string): Promise<Run> {
  let statusOk = 0;
  const result = await runOpenLoop({ rate, total: rate * SECONDS }, async () => {
    const { body, isStatus } = delivery(runId);
    const isOk = (await postWebhook(target, body)) === 200;
    if (isOk && isStatus) statusOk++;
    return isOk;
  });
  return {
    label,
    offered: rate,
    sent: result.sent,
    ok: result.ok,
    statusOk,
    errors: result.failed,
    seconds: result.seconds,
    latencies: result.samples.map((s) => s.ms),
  };
}

async function closedLoop(target: WebhookTarget, label: string, runId: string, concurrency = 64): Promise<Run> {
  const run: Run = { label, offered: "max", sent: 0, ok: 0, statusOk: 0, errors: 0, seconds: 0, latencies: [] };
  const start = performance.now();
  const end = start + CLOSED_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        run.sent++;
        const { body, isStatus } = delivery(runId);
        const status = await postWebhook(target, body);
        if (status === 200) {
          run.ok++;
          if (isStatus) run.statusOk++;
        } else run.errors++;
        run.latencies.push(performance.now() - t0);
      }
    }),
  );
  run.seconds = (performance.now() - start) / 1000;
  return run;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};

function row(r: Run): string {
  const rate = r.ok / r.seconds;
  return `| ${r.label} | ${r.offered} | ${rate.toFixed(0)} | ${pct(r.latencies, 50).toFixed(1)} | ${pct(r.latencies, 99).toFixed(1)} | ${r.errors} |`;
}

const generatorDelay = monitorEventLoopDelay({ resolution: 1 });
const diskStalls = new DiskStallWatch();
if (STEP_STATS) {
  generatorDelay.enable();
  diskStalls.start();
}

/** STEP_STATS=1: starts a step's statistics afresh. */
async function resetStats(server: Server): Promise<void> {
  if (!STEP_STATS) return;
  await server.stats();
  generatorDelay.reset();
  diskStalls.take();
}

/** STEP_STATS=1: " server {gc, loop delay, acks} | generator loop p99/max ms | disk stalls" for the step just run. */
async function stepStats(server: Server): Promise<string> {
  if (!STEP_STATS) return "";
  const ms = (p: number) => (generatorDelay.percentile(p) / 1e6).toFixed(1);
  return ` server ${await server.stats()} | generator loop p99 ${ms(99)} max ${ms(100)} ms | ${diskStalls.take()}`;
}

async function main(): Promise<void> {
  await prepareTemplateDatabase();
  const t = await createTestDatabase();
  const prefix = createTestRedisPrefix();
  const children: ChildProcess[] = [];
  try {
    const team = await t.db.team.create({ data: { name: "Support" } });
    await t.db.channel.create({
      data: { type: "whatsapp", name: "Bench", externalId: META_METADATA.phone_number_id, defaultTeamId: team.id },
    });
    const ceiling = await startServer("ceiling", t.url, prefix);
    const webhook = await startServer("webhook", t.url, prefix);
    children.push(ceiling.child, webhook.child);
    const servers = { ceiling, webhook };
    const targets = {
      ceiling: { port: ceiling.port, path: "/ingest" },
      webhook: { port: webhook.port, path: "/webhooks/whatsapp", appSecret: APP_SECRET },
    };
    // warm-up (JIT, pools, contacts of the first customers)
    await closedLoop(targets.ceiling, "warm-up", "warm-c", 16);
    await closedLoop(targets.webhook, "warm-up", "warm-w", 16);
    if (MIX === "mixed") {
      // The outbound messages the status webhooks report on, spread over the customers' conversations.
      await t.pgPool.query(
        `INSERT INTO "Message" (id, "conversationId", "channelId", direction, type, text, "externalId", status, "statusAt", "sentAt", "createdAt", "updatedAt")
         SELECT gen_random_uuid(), c.id, c."channelId", 'outbound', 'text', 'Antwort', 'wamid.bench-out-' || i, 'sent', now(), now(), now(), now()
           FROM generate_series(0, $1 - 1) AS i
           JOIN (SELECT id, "channelId", row_number() OVER (ORDER BY id) - 1 AS k FROM "Conversation") c ON c.k = i % $2`,
        [OUTBOUND, CUSTOMERS],
      );
    }

    const runs: (Run & { round: number })[] = [];
    const label = (name: "ceiling" | "webhook") =>
      name === "ceiling" ? "(a) bare INSERT route" : "(b) POST /webhooks/whatsapp";
    for (let round = 1; round <= ROUNDS; round++) {
      for (const rate of RATES) {
        for (const name of ["ceiling", "webhook"] as const) {
          await resetStats(servers[name]);
          const r = await openLoop(targets[name], label(name), rate, `${name}-${rate}-r${round}`);
          runs.push({ ...r, round });
          console.log(`round ${round} ${row(r)}${await stepStats(servers[name])}`);
        }
      }
      for (const name of ["ceiling", "webhook"] as const) {
        await resetStats(servers[name]);
        const r = await closedLoop(targets[name], label(name), `${name}-max-r${round}`);
        runs.push({ ...r, round });
        console.log(`round ${round} ${row(r)}${await stepStats(servers[name])}`);
      }
    }

    // No loss, no duplicates: every acknowledged webhook's message is stored exactly once.
    const webhookRuns = runs.filter((r) => r.label.startsWith("(b)"));
    const ackedAll = webhookRuns.reduce((n, r) => n + r.ok, 0);
    const acked = ackedAll - webhookRuns.reduce((n, r) => n + r.statusOk, 0);
    const statusAcked = ackedAll - acked;
    const counted = await t.db.$queryRaw<{ stored: bigint; distinct: bigint }[]>`
      SELECT count(*) AS stored, count(DISTINCT "externalId") AS distinct FROM "Message" WHERE "externalId" LIKE 'wamid.bench-webhook-%'`;
    const { stored, distinct } = counted[0]!;
    const conversations = await t.db.conversation.count();
    const outboxPending = await t.db.outboxJob.count({ where: { dispatchedAt: null } });
    // MIX=mixed: every status webhook acknowledged is one stored report (each wamid/status pair is sent once).
    const reports = await t.db.messageStatusEvent.count();
    const readOrDelivered = await t.db.message.count({
      where: { direction: "outbound", status: { in: ["delivered", "read"] } },
    });

    const rate = (r: Run) => r.ok / r.seconds;
    const ratios = Array.from({ length: ROUNDS }, (_, i) => {
      const of = (prefix: string) =>
        runs.find((r) => r.round === i + 1 && r.offered === "max" && r.label.startsWith(prefix))!;
      return rate(of("(b)")) / rate(of("(a)"));
    });
    const median = (xs: number[]) => pct(xs, 50);
    const cell = (xs: number[], digits: number) =>
      ROUNDS === 1
        ? xs[0]!.toFixed(digits)
        : `${median(xs).toFixed(digits)} (${xs.map((x) => x.toFixed(digits)).join(" / ")})`;
    const keys = [...new Set(runs.map((r) => `${r.label}|${r.offered}`))];
    const lines = [
      "",
      `Median of ${ROUNDS} round(s), each round's figure in brackets:`,
      "",
      `| server | offered msg/s | achieved msg/s | p50 ack ms | p99 ack ms | non-200 |`,
      `|---|---|---|---|---|---|`,
      ...keys.map((key) => {
        const rs = runs.filter((r) => `${r.label}|${r.offered}` === key);
        const [l, offered] = key.split("|");
        return `| ${l} | ${offered} | ${cell(rs.map(rate), 0)} | ${cell(
          rs.map((r) => pct(r.latencies, 50)),
          1,
        )} | ${cell(
          rs.map((r) => pct(r.latencies, 99)),
          1,
        )} | ${rs.reduce((n, r) => n + r.errors, 0)} |`;
      }),
      "",
      `traffic: ${MIX === "mixed" ? "mixed, 1 customer message : 3 status webhooks" : "customer messages"}`,
      `webhook deliveries acknowledged: ${ackedAll} (messages ${acked}, statuses ${statusAcked}); messages stored: ${stored}; distinct wamids: ${distinct}; status reports stored: ${reports}; outbound messages delivered or read: ${readOrDelivered}; conversations: ${conversations}; outbox rows not yet dispatched: ${outboxPending}`,
      `maximum sustained, webhook / ceiling: ${ratios.map((r) => `${(r * 100).toFixed(0)} %`).join(", ")} — median ${(median(ratios) * 100).toFixed(0)} %`,
      `check: ${Number(stored) === acked && Number(distinct) === acked && reports === statusAcked ? "OK, no loss, no duplicates" : "MISMATCH"}`,
    ];
    console.log(lines.join("\n"));
  } finally {
    // The servers exit before their database is dropped: a connection the drop terminates under a live server
    // would end it with an error printed after the results.
    await Promise.all(
      children.map(
        (c) =>
          new Promise((exited) => {
            if (c.exitCode !== null || c.signalCode !== null) return exited(null);
            c.once("exit", exited);
            c.kill("SIGTERM");
          }),
      ),
    );
    closeWebhookConnections();
    await t.drop();
  }
}

await main();
