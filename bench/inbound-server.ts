/**
 * One server for bench/inbound.ts, in its own process so the load generator does not share its event loop.
 *   tsx inbound-server.ts ceiling <databaseUrl>   bare Fastify route, one INSERT per request (the local ceiling)
 *   tsx inbound-server.ts webhook <databaseUrl>   the product's api (POST /webhooks/whatsapp) + outbox relay
 * Prints `PORT <n>` when listening.
 */
import { constants, createHistogram, monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import Fastify from "fastify";
import pg from "pg";
import { parseEnv } from "@inbox/config";
import { createDb, createPgPool } from "@inbox/db";
import { createLogger } from "@inbox/logger";
import { buildApp } from "@inbox/api";
import { createRedis, JobQueues } from "@inbox/jobs";

const [mode, databaseUrl, appSecret, prefix] = process.argv.slice(2);
if (!databaseUrl) throw new Error("usage: inbound-server.ts ceiling|webhook <databaseUrl> [appSecret] [prefix]");
const POOL = 10;
/** SERVER_STATS=1, webhook server: each webhook's ack in µs as the server measures it. */
const serverAck = createHistogram();

if (mode === "ceiling") {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: POOL });
  await pool.query(`CREATE TABLE IF NOT EXISTS bench_ceiling (id text PRIMARY KEY, body jsonb NOT NULL)`);
  const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024 });
  app.post("/ingest", async (request) => {
    const body = request.body as {
      entry: { changes: { value: { messages?: { id: string }[]; statuses?: { id: string; status: string }[] } }[] }[];
    };
    const value = body.entry[0]!.changes[0]!.value;
    const status = value.statuses?.[0];
    const id = status ? `${status.id}:${status.status}` : value.messages![0]!.id;
    await pool.query(`INSERT INTO bench_ceiling (id, body) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [id, body]);
    return { status: "ok" };
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  console.log(`PORT ${(app.server.address() as { port: number }).port}`);
} else {
  const env = parseEnv({
    ...process.env,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: "warn",
    WHATSAPP_APP_SECRET: appSecret,
    WHATSAPP_VERIFY_TOKEN: "bench",
  });
  const log = createLogger({ name: "bench-api", level: "warn", pretty: false });
  const db = createDb(databaseUrl, { max: POOL });
  const redis = createRedis(env.REDIS_URL);
  const queues = new JobQueues(redis, prefix ?? "inbox-bench");
  // Wired as `pnpm start` wires it: Prisma pool plus the plain pg pool of the receiver's fast path.
  const pgPool = createPgPool(databaseUrl, { max: 4 });
  const app = await buildApp({ env, db, pgPool, redis, queues, log, clock: () => new Date(), consoleDir: null });
  if (process.env.SERVER_STATS === "1") {
    // The ack as the server sees it (request received → response written), next to the generator's figure.
    app.addHook("onResponse", async (request, reply) => {
      if (request.url === "/webhooks/whatsapp") serverAck.record(Math.max(1, Math.round(reply.elapsedTime * 1000)));
    });
  }
  await app.listen({ port: 0, host: "127.0.0.1" });
  console.log(`PORT ${(app.server.address() as { port: number }).port}`);
}

/**
 * With `SERVER_STATS=1` (bench/inbound-cpu.ts sets it, bench/inbound.ts with STEP_STATS=1), SIGUSR2 prints
 * `STATS {json}`: the garbage collector's pauses (by kind: count, total and longest, and how many fell in each length
 * bucket), the event loop's delay and (webhook server) the acks as the server measured them, since the previous
 * SIGUSR2. Off otherwise: the latency benchmarks measure the server without a 1 ms timer and a GC observer.
 */
const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: "minor",
  [constants.NODE_PERFORMANCE_GC_MAJOR]: "major",
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: "incremental",
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: "weakcb",
};
const PAUSE_BUCKETS_MS = [1, 2, 5, 10, 20, 50];
interface GcTally {
  count: number;
  totalMs: number;
  maxMs: number;
  /** Pauses up to PAUSE_BUCKETS_MS[i] ms; the last: longer. */
  buckets: number[];
}
function reportStatsOnSignal() {
  let gcTallies: Record<string, GcTally> = {};
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = GC_KINDS[(entry as unknown as { detail: { kind: number } }).detail.kind] ?? "other";
      const tally = (gcTallies[kind] ??= { count: 0, totalMs: 0, maxMs: 0, buckets: [...PAUSE_BUCKETS_MS, 0].fill(0) });
      tally.count++;
      tally.totalMs += entry.duration;
      tally.maxMs = Math.max(tally.maxMs, entry.duration);
      const bucket = PAUSE_BUCKETS_MS.findIndex((limit) => entry.duration <= limit);
      tally.buckets[bucket === -1 ? PAUSE_BUCKETS_MS.length : bucket]!++;
    }
  }).observe({ entryTypes: ["gc"] });
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  process.on("SIGUSR2", () => {
    const round = (ms: number) => Math.round(ms * 100) / 100;
    const gc = Object.fromEntries(
      Object.entries(gcTallies).map(([kind, t]) => [kind, { ...t, totalMs: round(t.totalMs), maxMs: round(t.maxMs) }]),
    );
    const loop = Object.fromEntries(
      [50, 99, 100].map((p) => [p === 100 ? "max" : `p${p}`, round(loopDelay.percentile(p) / 1e6)]),
    );
    const ack =
      serverAck.count === 0
        ? undefined
        : Object.fromEntries(
            [50, 99, 100].map((p) => [p === 100 ? "max" : `p${p}`, round(serverAck.percentile(p) / 1e3)]),
          );
    console.log(
      `STATS ${JSON.stringify({ gc, pauseBucketsMs: PAUSE_BUCKETS_MS, loopDelayMs: loop, serverAckMs: ack })}`,
    );
    gcTallies = {};
    loopDelay.reset();
    serverAck.reset();
  });
}
if (process.env.SERVER_STATS === "1") reportStatsOnSignal();

// Exit normally on SIGTERM so `--cpu-prof` (NODE_OPTIONS) writes its profile.
/**
 * With `HEAP_SAMPLE_FILE=<path>` the server samples every allocation (V8's sampling heap profiler, also objects the
 * garbage collector has freed since) and writes the profile there when it is stopped: where the bytes per delivery
 * are allocated, which sets how often the young generation is scavenged (docs/performance.md).
 */
if (process.env.HEAP_SAMPLE_FILE) {
  const { Session } = await import("node:inspector/promises");
  const { writeFileSync } = await import("node:fs");
  const session = new Session();
  session.connect();
  await session.post("HeapProfiler.enable");
  await session.post("HeapProfiler.startSampling", {
    samplingInterval: 8192,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  process.on("SIGTERM", () => {
    void session.post("HeapProfiler.stopSampling").then((r) => {
      writeFileSync(process.env.HEAP_SAMPLE_FILE!, JSON.stringify((r as { profile: unknown }).profile));
      process.exit(0);
    });
  });
} else process.on("SIGTERM", () => process.exit(0));
