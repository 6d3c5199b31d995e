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
 *   pnpm --filter @inbox/bench inbound          (RATES=500,1000,2000 SECONDS=6 CLOSED_SECONDS=6 ROUNDS=3)
 */
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase, createTestRedisPrefix, prepareTemplateDatabase } from "@inbox/db/testing";
import { signPayload } from "@inbox/whatsapp";
import { TEXT_MESSAGE_WEBHOOK, META_METADATA } from "@inbox/whatsapp/fixtures";

const RATES = (process.env.RATES ?? "500,1000,2000").split(",").map(Number);
const SECONDS = Number(process.env.SECONDS ?? 6);
const CLOSED_SECONDS = Number(process.env.CLOSED_SECONDS ?? 6);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const CUSTOMERS = 5_000;
const APP_SECRET = `bench-${randomBytes(8).toString("hex")}`;
const here = path.dirname(fileURLToPath(import.meta.url));

const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

interface Target {
  port: number;
  path: string;
  sign: boolean;
}
interface Run {
  label: string;
  offered: number | "max";
  sent: number;
  ok: number;
  errors: number;
  seconds: number;
  latencies: number[];
}

function startServer(mode: "ceiling" | "webhook", url: string, prefix: string): Promise<{ child: ChildProcess; port: number }> {
  // SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=prof" profiles the servers.
  const nodeArgs = (process.env.SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", path.join(here, "inbound-server.ts"), mode, url, APP_SECRET, prefix], {
    cwd: here,
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on("exit", (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
}

let counter = 0;
function delivery(runId: string): string {
  const n = counter++;
  const p = JSON.parse(JSON.stringify(TEXT_MESSAGE_WEBHOOK));
  const v = p.entry[0].changes[0].value;
  const from = `4915${String(n % CUSTOMERS).padStart(9, "0")}`;
  v.metadata = META_METADATA;
  v.contacts[0].wa_id = from;
  v.messages[0].from = from;
  v.messages[0].id = `wamid.bench-${runId}-${n}`;
  v.messages[0].timestamp = String(Math.floor(Date.now() / 1000));
  v.messages[0].text.body = `Benchmark message ${n}`;
  return JSON.stringify(p);
}

function send(target: Target, body: string): Promise<number> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = { "content-type": "application/json", "content-length": Buffer.byteLength(body) };
    if (target.sign) headers["x-hub-signature-256"] = signPayload(body, APP_SECRET);
    const req = http.request({ host: "127.0.0.1", port: target.port, path: target.path, method: "POST", headers, agent }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", () => resolve(0));
    req.end(body);
  });
}

async function openLoop(target: Target, label: string, rate: number, runId: string): Promise<Run> {
  const run: Run = { label, offered: rate, sent: 0, ok: 0, errors: 0, seconds: 0, latencies: [] };
  const total = rate * SECONDS;
  const start = performance.now();
  const pending: Promise<void>[] = [];
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
      while (run.sent < due) {
        const scheduled = start + (run.sent / rate) * 1000;
        const body = delivery(runId);
        run.sent++;
        pending.push(
          send(target, body).then((status) => {
            if (status === 200) run.ok++;
            else run.errors++;
            run.latencies.push(performance.now() - scheduled);
          }),
        );
      }
      if (run.sent >= total) resolve();
      else setTimeout(tick, 2);
    };
    tick();
  });
  await Promise.all(pending);
  run.seconds = (performance.now() - start) / 1000;
  return run;
}

async function closedLoop(target: Target, label: string, runId: string, concurrency = 64): Promise<Run> {
  const run: Run = { label, offered: "max", sent: 0, ok: 0, errors: 0, seconds: 0, latencies: [] };
  const start = performance.now();
  const end = start + CLOSED_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        run.sent++;
        const status = await send(target, delivery(runId));
        if (status === 200) run.ok++;
        else run.errors++;
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

async function main(): Promise<void> {
  await prepareTemplateDatabase();
  const t = await createTestDatabase();
  const prefix = createTestRedisPrefix();
  const children: ChildProcess[] = [];
  try {
    const team = await t.db.team.create({ data: { name: "Support" } });
    await t.db.channel.create({ data: { type: "whatsapp", name: "Bench", externalId: META_METADATA.phone_number_id, defaultTeamId: team.id } });
    const ceiling = await startServer("ceiling", t.url, prefix);
    const webhook = await startServer("webhook", t.url, prefix);
    children.push(ceiling.child, webhook.child);
    const targets = {
      ceiling: { port: ceiling.port, path: "/ingest", sign: false },
      webhook: { port: webhook.port, path: "/webhooks/whatsapp", sign: true },
    };
    // warm-up (JIT, pools, contacts of the first customers)
    await closedLoop(targets.ceiling, "warm-up", "warm-c", 16);
    await closedLoop(targets.webhook, "warm-up", "warm-w", 16);

    const runs: (Run & { round: number })[] = [];
    const label = (name: "ceiling" | "webhook") => (name === "ceiling" ? "(a) bare INSERT route" : "(b) POST /webhooks/whatsapp");
    for (let round = 1; round <= ROUNDS; round++) {
      for (const rate of RATES) {
        for (const name of ["ceiling", "webhook"] as const) {
          const r = await openLoop(targets[name], label(name), rate, `${name}-${rate}-r${round}`);
          runs.push({ ...r, round });
          console.log(`round ${round} ${row(r)}`);
        }
      }
      for (const name of ["ceiling", "webhook"] as const) {
        const r = await closedLoop(targets[name], label(name), `${name}-max-r${round}`);
        runs.push({ ...r, round });
        console.log(`round ${round} ${row(r)}`);
      }
    }

    // No loss, no duplicates: every acknowledged webhook's message is stored exactly once.
    const webhookRuns = runs.filter((r) => r.label.startsWith("(b)"));
    const acked = webhookRuns.reduce((n, r) => n + r.ok, 0);
    const counted = await t.db.$queryRaw<{ stored: bigint; distinct: bigint }[]>`
      SELECT count(*) AS stored, count(DISTINCT "externalId") AS distinct FROM "Message" WHERE "externalId" LIKE 'wamid.bench-webhook-%'`;
    const { stored, distinct } = counted[0]!;
    const conversations = await t.db.conversation.count();
    const outboxPending = await t.db.outboxJob.count({ where: { dispatchedAt: null } });

    const rate = (r: Run) => r.ok / r.seconds;
    const ratios = Array.from({ length: ROUNDS }, (_, i) => {
      const of = (prefix: string) => runs.find((r) => r.round === i + 1 && r.offered === "max" && r.label.startsWith(prefix))!;
      return rate(of("(b)")) / rate(of("(a)"));
    });
    const median = (xs: number[]) => pct(xs, 50);
    const cell = (xs: number[], digits: number) =>
      ROUNDS === 1 ? xs[0]!.toFixed(digits) : `${median(xs).toFixed(digits)} (${xs.map((x) => x.toFixed(digits)).join(" / ")})`;
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
        return `| ${l} | ${offered} | ${cell(rs.map(rate), 0)} | ${cell(rs.map((r) => pct(r.latencies, 50)), 1)} | ${cell(rs.map((r) => pct(r.latencies, 99)), 1)} | ${rs.reduce((n, r) => n + r.errors, 0)} |`;
      }),
      "",
      `webhook deliveries acknowledged: ${acked}; messages stored: ${stored}; distinct wamids: ${distinct}; conversations: ${conversations}; outbox rows not yet dispatched: ${outboxPending}`,
      `maximum sustained, webhook / ceiling: ${ratios.map((r) => `${(r * 100).toFixed(0)} %`).join(", ")} — median ${(median(ratios) * 100).toFixed(0)} %`,
      `check: ${Number(stored) === acked && Number(distinct) === acked ? "OK, no loss, no duplicates" : "MISMATCH"}`,
    ];
    console.log(lines.join("\n"));
  } finally {
    for (const c of children) c.kill("SIGTERM");
    agent.destroy();
    await t.drop();
  }
}

await main();
