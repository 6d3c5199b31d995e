/**
 * CPU cost of the webhook receiver per delivery — a figure that a busy machine distorts far less than throughput or
 * latency: the product's api (`inbound-server.ts webhook`, wired as `pnpm start` wires it) on a fresh database gets
 * WARMUP signed text deliveries (Meta's example, 5,000 customers), then N more with 16 in flight; the server
 * process's user + system CPU time over those N (read from /proc, after its live events went out) divided by N.
 * Also the write-ahead log those N wrote, per delivery (`pg_stat_wal`, which counts the whole Postgres server: run it
 * with nothing else on the database server): every ack waits for its commit's WAL to reach the disk, so the bytes a
 * delivery adds are what the disk's flushes — the receiver's latency tail — have to carry.
 * Next to the server's CPU: that of all Postgres processes and of this load generator over the same deliveries (the
 * three share the machine's cores, so together they bound the maximum sustained rate).
 *
 *   pnpm --filter @inbox/bench inbound-cpu      (N=6000 WARMUP=3000; Linux only)
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase, createTestRedisPrefix, prepareTemplateDatabase } from "@inbox/db/testing";
import { META_METADATA } from "@inbox/whatsapp/fixtures";
import { closeWebhookConnections, postWebhook, textMessageDelivery } from "./webhook-load";

const N = Number(process.env.N ?? 6000);
const WARMUP = Number(process.env.WARMUP ?? 3000);
const IN_FLIGHT = 16;
const APP_SECRET = `bench-${randomBytes(8).toString("hex")}`;
const here = path.dirname(fileURLToPath(import.meta.url));

/** User + system CPU seconds of a process so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** User + system CPU seconds of all Postgres processes so far; 0 when the database server runs elsewhere. */
function postgresCpuSeconds(): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (stat.includes("(postgres)")) total += cpuSeconds(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/** The Postgres server's WAL counters so far (since its statistics were last reset). */
async function walCounters(): Promise<{ records: number; fpi: number; bytes: number }> {
  const { rows } = await t.pgPool.query<{ records: string; fpi: string; bytes: string }>(
    "SELECT wal_records AS records, wal_fpi AS fpi, wal_bytes AS bytes FROM pg_stat_wal",
  );
  return { records: Number(rows[0]!.records), fpi: Number(rows[0]!.fpi), bytes: Number(rows[0]!.bytes) };
}

let counter = 0;
function deliver(port: number): Promise<number> {
  const n = counter++;
  const from = `4915${String(n % 5_000).padStart(9, "0")}`;
  const body = textMessageDelivery({ from, wamid: `wamid.cpu-${n}`, text: `Benchmark message ${n}` });
  return postWebhook({ port, path: "/webhooks/whatsapp", appSecret: APP_SECRET }, body);
}

async function closedLoop(port: number, count: number): Promise<void> {
  let left = count;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (left-- > 0) {
        const status = await deliver(port);
        if (status !== 200) throw new Error(`webhook answered ${status}`);
      }
    }),
  );
}

await prepareTemplateDatabase();
const t = await createTestDatabase();
const team = await t.db.team.create({ data: { name: "Support" } });
await t.db.channel.create({
  data: { type: "whatsapp", name: "Bench", externalId: META_METADATA.phone_number_id, defaultTeamId: team.id },
});
// SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=prof" profiles the server; HEAP_SAMPLE_FILE=alloc.heapprofile samples its
// allocations (open the file in Chromium's DevTools, Memory → Load profile). The server runs with the young
// generation `pnpm start` gives its processes (apps/cli/src/commands/start.ts), as in bench/inbound.ts: without it,
// V8's default 16 MB semi-spaces are scavenged four times as often (~10 % more CPU per delivery).
const nodeArgs = ["--max-semi-space-size=64", ...(process.env.SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean)];
const server = spawn(
  process.execPath,
  [
    ...nodeArgs,
    "--import",
    "tsx",
    path.join(here, "inbound-server.ts"),
    "webhook",
    t.url,
    APP_SECRET,
    createTestRedisPrefix(),
  ],
  { cwd: here, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, SERVER_STATS: "1" } },
);
let out = "";
server.stdout.on("data", (d: Buffer) => {
  out += d.toString();
  if (process.env.SERVER_STDOUT) process.stderr.write(d); // e.g. SERVER_NODE_ARGS=--trace-gc-nvp
});
/** The server's GC pauses and event-loop delay since the previous call (SIGUSR2 → one `STATS {json}` line). */
async function serverStats(): Promise<string> {
  const seen = out.length;
  server.kill("SIGUSR2");
  for (;;) {
    const m = /STATS (.*)\n/.exec(out.slice(seen));
    if (m) return m[1]!;
    await new Promise((r) => setTimeout(r, 20));
  }
}
try {
  const port = await new Promise<number>((resolve, reject) => {
    server.stdout.on("data", () => {
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    server.on("exit", (code) => reject(new Error(`webhook server exited with ${code}`)));
  });
  await closedLoop(port, WARMUP);
  await new Promise((r) => setTimeout(r, 1_000));
  await serverStats();
  const walBefore = await walCounters();
  const before = cpuSeconds(server.pid!);
  const postgresBefore = postgresCpuSeconds();
  const generatorBefore = process.cpuUsage();
  const started = performance.now();
  await closedLoop(port, N);
  const seconds = (performance.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, 1_500)); // the live events of the last deliveries
  const cpu = cpuSeconds(server.pid!) - before;
  const postgresCpu = postgresCpuSeconds() - postgresBefore;
  const generator = process.cpuUsage(generatorBefore);
  const generatorCpu = (generator.user + generator.system) / 1e6;
  const stats = await serverStats();
  const walAfter = await walCounters();
  console.log(
    `${N} deliveries (${IN_FLIGHT} in flight) in ${seconds.toFixed(1)} s: webhook server CPU ${cpu.toFixed(2)} s = ` +
      `${((cpu / N) * 1e6).toFixed(0)} µs per delivery`,
  );
  const perDelivery = (seconds: number) => `${((seconds / N) * 1e6).toFixed(0)} µs`;
  console.log(
    `and per delivery: Postgres (all its processes on this machine, during the same time) ${perDelivery(postgresCpu)}, ` +
      `this load generator ${perDelivery(generatorCpu)}`,
  );
  const per = (key: keyof typeof walAfter) => (walAfter[key] - walBefore[key]) / N;
  console.log(
    `WAL per delivery (whole Postgres server): ${per("bytes").toFixed(0)} bytes, ${per("records").toFixed(1)} records, ` +
      `${per("fpi").toFixed(2)} full-page images`,
  );
  console.log(`over those deliveries: ${stats}`);
} finally {
  // The server exits (and writes HEAP_SAMPLE_FILE) before its database is dropped under it.
  const exited = new Promise((resolve) =>
    server.exitCode !== null || server.signalCode !== null ? resolve(null) : server.once("exit", resolve),
  );
  server.kill("SIGTERM");
  await exited;
  closeWebhookConnections();
  await t.drop();
}
process.exit(0);
