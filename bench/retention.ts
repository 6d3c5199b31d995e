/**
 * Retention under live webhook load (issue 14, docs/performance.md "Retention and data-subject export"), through the
 * product as it runs: `pnpm start` (api, worker and simulator in processes of their own, a fresh database and Redis)
 * and `pnpm inbox retention run` in a process of its own, as an operator (or the schedule) runs it.
 *   1. Seeds COUNT messages (10 per conversation) in conversations resolved 40 days ago, under a 30-day messages
 *      policy; VACUUM ANALYZE afterwards (old data in a live database has long been vacuumed).
 *   2. Warm-up: CUSTOMERS customers write once each (signed deliveries, Meta's text-message shape).
 *   3. Baseline: WEBHOOK_RATE deliveries/s for BASELINE_SECONDS, no deletion.
 *   4. Deletion: `pnpm inbox retention run` starts while the deliveries go on at the same rate until it exits.
 *      The ack latencies counted are those of deliveries due between the run's start and end (RetentionRun's
 *      startedAt/finishedAt: the command's own start-up and migration check are not deletion).
 * Reported: deletion time, webhook ack p50/p99/max during the deletion and in the baseline, deliveries sent/acked/
 * failed, the event-loop delay of the api and the worker (their /metrics), lock waits seen in pg_locks (sampled every
 * 100 ms), sequential and index scans on Message and Conversation per second in both phases (pg_stat_user_tables),
 * and that every acknowledged delivery was stored. Then (EXPORT=1) an Art. 15 export of one contact with 10,000
 * messages and 100 media files of 100 KiB (`createDataSubjectRequest`, local disk) is timed.
 *
 *   pnpm --filter @inbox/bench retention
 *     (COUNT=1000000 WEBHOOK_RATE=1000 BASELINE_SECONDS=20 CUSTOMERS=2000 EXPORT=1 DELETE_TIMEOUT_S=600)
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { DEV_ENCRYPTION_KEY } from "@inbox/config";
import { createDataSubjectRequest, createSecretBox, LocalDiskMediaStore } from "@inbox/core";
import { newMediaKey } from "@inbox/core/testing";
import type { Db } from "@inbox/db";
import { META_METADATA } from "@inbox/whatsapp/fixtures";
import { percentile } from "./api-clients";
import { freePort, sleep, startProduct, type RunningProduct } from "./product";
import {
  closeWebhookConnections,
  eventLoopDelay,
  openLoop,
  postWebhook,
  textMessageDelivery,
  type OpenLoopResult,
  type Sample,
  type WebhookTarget,
} from "./webhook-load";

const COUNT = Number(process.env.COUNT ?? process.argv[2] ?? 1_000_000);
const WEBHOOK_RATE = Number(process.env.WEBHOOK_RATE ?? 1_000);
const BASELINE_SECONDS = Number(process.env.BASELINE_SECONDS ?? 20);
const CUSTOMERS = Number(process.env.CUSTOMERS ?? 2_000);
const EXPORT = process.env.EXPORT !== "0";
/** A deletion still running after this long is stopped and reported as not met (with how far it got). */
const DELETE_TIMEOUT_S = Number(process.env.DELETE_TIMEOUT_S ?? 600);
const PER_CONVERSATION = 10;
const TARGET_DELETE_S = 120;
const TARGET_P99_MS = 100;
const APP_SECRET = `bench-${randomBytes(8).toString("hex")}`;
const METRICS_TOKEN = randomBytes(16).toString("hex");
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(1) : "–");
const verdict = (ok: boolean) => (ok ? "PASS" : "FAIL");

/** Seeds the expired data in SQL: contacts, conversations resolved 40 days ago, their messages. */
async function seed(db: Db, channelId: string): Promise<number> {
  const conversations = Math.ceil(COUNT / PER_CONVERSATION);
  await db.$executeRawUnsafe(`
    INSERT INTO "Contact" (id, "channelId", "waId", "createdAt", "updatedAt", "lastSeenAt")
    SELECT gen_random_uuid(), '${channelId}', '4915' || lpad(g::text, 9, '0'), now() - interval '400 days', now(), now()
      FROM generate_series(1, ${conversations}) g`);
  await db.$executeRawUnsafe(`
    INSERT INTO "Conversation" (id, "channelId", "contactId", status, "resolvedAt", "lastMessageAt", "createdAt", "updatedAt")
    SELECT gen_random_uuid(), k."channelId", k.id, 'resolved', now() - interval '40 days', now() - interval '41 days',
           now() - interval '45 days', now()
      FROM "Contact" k WHERE k."channelId" = '${channelId}' AND k."waId" LIKE '4915%'`);
  await db.$executeRawUnsafe(`
    INSERT INTO "Message" (id, "conversationId", "channelId", direction, type, text, status, "createdAt", "updatedAt")
    SELECT gen_random_uuid(), c.id, c."channelId", 'inbound', 'text', 'Nachricht ' || g, 'received',
           now() - interval '42 days', now()
      FROM "Conversation" c CROSS JOIN generate_series(1, ${PER_CONVERSATION}) g
     WHERE c.status = 'resolved'`);
  for (const table of ["Contact", "Conversation", "Message"]) await db.$executeRawUnsafe(`VACUUM ANALYZE "${table}"`);
  await db.$executeRawUnsafe(`CHECKPOINT`).catch(() => undefined);
  return conversations;
}

/** Samples lock waits (pg_locks, not granted) every 100 ms until stopped: the most waiting at once, the longest wait. */
function watchLockWaits(db: Db): { stop: () => Promise<{ maxWaiting: number; longestMs: number }> } {
  let running = true;
  let maxWaiting = 0;
  let longestMs = 0;
  const loop = (async () => {
    while (running) {
      const [row] = await db.$queryRawUnsafe<{ waiting: bigint; longest: number | null }[]>(`
        SELECT count(*) AS waiting, max(extract(epoch FROM clock_timestamp() - waitstart)) * 1000 AS longest
          FROM pg_locks WHERE NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
      maxWaiting = Math.max(maxWaiting, Number(row?.waiting ?? 0));
      longestMs = Math.max(longestMs, Number(row?.longest ?? 0));
      await sleep(100);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { maxWaiting, longestMs };
    },
  };
}

/** Sequential scans of Message and Conversation, and index scans per index of theirs. */
type ScanCounts = Record<string, number>;

async function scanCounts(db: Db): Promise<ScanCounts> {
  const tables = await db.$queryRawUnsafe<{ relname: string; seq_scan: bigint }[]>(
    `SELECT relname, seq_scan FROM pg_stat_user_tables WHERE relname IN ('Message', 'Conversation')`,
  );
  const indexes = await db.$queryRawUnsafe<{ indexrelname: string; idx_scan: bigint }[]>(
    `SELECT indexrelname, idx_scan FROM pg_stat_user_indexes WHERE relname IN ('Message', 'Conversation')`,
  );
  const counts: ScanCounts = {};
  for (const r of tables) counts[`${r.relname} (sequential)`] = Number(r.seq_scan);
  for (const r of indexes) counts[r.indexrelname] = Number(r.idx_scan);
  return counts;
}

/**
 * What was scanned since `before`, per second, busiest first. Statistics reach the views when a backend's
 * transaction ends (at most every second, or when it exits): read a moment later.
 */
async function scanDelta(db: Db, before: ScanCounts, seconds: number): Promise<string> {
  await sleep(1_500);
  const after = await scanCounts(db);
  return Object.entries(after)
    .map(([name, n]) => [name, (n - (before[name] ?? 0)) / seconds] as const)
    .filter(([name, perSecond]) => perSecond > 0 || name.endsWith("(sequential)"))
    .sort((a, b) => b[1] - a[1])
    .map(([name, perSecond]) => `${name} ${perSecond.toFixed(1)}/s`)
    .join(", ");
}

interface Latency {
  n: number;
  ok: number;
  failed: number;
  p50: number;
  p99: number;
  max: number;
}

function latencyOf(samples: Sample[]): Latency {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const ok = samples.filter((s) => s.isOk).length;
  return {
    n: samples.length,
    ok,
    failed: samples.length - ok,
    p50: percentile(ms, 50),
    p99: percentile(ms, 99),
    max: ms.at(-1) ?? NaN,
  };
}

/** The wamids of every delivery answered 200: each must be stored (once — `externalId` is unique per channel). */
const ackedWamids: string[] = [];

/** Posts one delivery; true (and its wamid kept) when it was acknowledged. */
async function deliver(target: WebhookTarget, input: { from: string; wamid: string; text: string }): Promise<boolean> {
  const isOk = (await postWebhook(target, textMessageDelivery(input))) === 200;
  if (isOk) ackedWamids.push(input.wamid);
  return isOk;
}

/** Deliveries at WEBHOOK_RATE from the customers, unique wamids, while `isDone` says go on (or `seconds`). */
function webhookLoad(
  target: WebhookTarget,
  run: string,
  options: { seconds?: number; isDone?: () => boolean },
): Promise<OpenLoopResult> {
  return openLoop(
    {
      rate: WEBHOOK_RATE,
      ...(options.seconds ? { total: Math.round(WEBHOOK_RATE * options.seconds) } : {}),
      ...(options.isDone ? { isDone: options.isDone } : {}),
    },
    (i) =>
      deliver(target, {
        from: `4917${String(i % CUSTOMERS).padStart(9, "0")}`,
        wamid: `wamid.rbench-${run}-${i}`,
        text: `Frage ${run} ${i}`,
      }),
  );
}

/**
 * `pnpm inbox retention run` against the running product, in a process group of its own (stopped as a whole after
 * DELETE_TIMEOUT_S); resolves with its exit code, output and wall-clock time.
 */
function runRetentionCommand(
  product: RunningProduct,
): Promise<{ code: number | null; out: string; seconds: number; isTimedOut: boolean }> {
  const started = performance.now();
  // What `pnpm inbox retention run` runs (package.json: tsx apps/cli/src/main.ts), without pnpm's wrapper process.
  const child = spawn(process.execPath, ["--import", "tsx", "apps/cli/src/main.ts", "retention", "run"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      DATABASE_URL: product.databaseUrl,
      REDIS_URL: product.redisUrl,
      LOG_LEVEL: "warn",
    },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let isTimedOut = false;
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const timer = setTimeout(() => {
    isTimedOut = true;
    if (child.pid) process.kill(-child.pid, "SIGTERM");
  }, DELETE_TIMEOUT_S * 1000);
  return new Promise((resolve) =>
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out: out.trim(), seconds: (performance.now() - started) / 1000, isTimedOut });
    }),
  );
}

async function timeExport(db: Db, channelId: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "bench-retention-"));
  try {
    const media = new LocalDiskMediaStore(dir);
    const contact = await db.contact.create({ data: { channelId, waId: "4916099990000" } });
    const conv = await db.conversation.create({
      data: { channelId, contactId: contact.id, activeContactId: contact.id },
    });
    await db.$executeRawUnsafe(`
      INSERT INTO "Message" (id, "conversationId", "channelId", direction, type, text, status, "createdAt", "updatedAt")
      SELECT gen_random_uuid(), '${conv.id}', '${channelId}', 'inbound', 'text', 'Export-Nachricht ' || g, 'received',
             now() - (g || ' seconds')::interval, now()
        FROM generate_series(1, 10000) g`);
    const withMedia = await db.message.findMany({
      where: { conversationId: conv.id },
      take: 100,
      select: { id: true },
    });
    for (const m of withMedia) {
      const key = newMediaKey();
      await media.put(key, randomBytes(100 * 1024));
      await db.mediaAsset.create({
        data: { channelId, messageId: m.id, mimeType: "image/jpeg", storageKey: key, status: "stored" },
      });
    }
    const started = performance.now();
    // The whole request as an admin makes it: the zip built and stored in the media store, the request done.
    const request = await createDataSubjectRequest(
      { db, media, secrets: createSecretBox({ ENCRYPTION_KEY: DEV_ENCRYPTION_KEY }) },
      { type: "system" },
      { contactId: contact.id, type: "export" },
    );
    const seconds = (performance.now() - started) / 1000;
    return `| export of a contact with 10,000 messages and 100 media files (100 KiB) | ${seconds.toFixed(2)} s (${request.status}) | < 10 s | ${verdict(request.status === "done" && seconds < 10)} |`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const load = () => loadavg()[0]!.toFixed(2);
  const loadAtStart = load();
  const workerMetricsPort = await freePort();
  const product = await startProduct({
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_PHONE_NUMBER_ID: META_METADATA.phone_number_id,
    METRICS_TOKEN,
    WORKER_METRICS_PORT: String(workerMetricsPort),
  });
  const { db } = product;
  const target: WebhookTarget = { port: product.port, path: "/webhooks/whatsapp", appSecret: APP_SECRET };
  const run = randomBytes(3).toString("hex");
  const loops = async () => ({
    api: await eventLoopDelay(product.port, METRICS_TOKEN),
    worker: await eventLoopDelay(workerMetricsPort, METRICS_TOKEN),
  });
  try {
    const channel = await db.channel.findFirstOrThrow({
      where: { type: "whatsapp", externalId: META_METADATA.phone_number_id },
    });
    const seedStart = performance.now();
    const conversations = await seed(db, channel.id);
    await db.retentionPolicy.create({ data: { category: "messages", retentionDays: 30 } });
    const seeded = await db.message.count();
    console.log(
      `seeded ${seeded} messages in ${conversations} resolved conversations in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
    );

    // Warm-up: every customer writes once (their contacts and conversations exist from then on).
    await openLoop({ rate: WEBHOOK_RATE, total: CUSTOMERS }, (i) =>
      deliver(target, {
        from: `4917${String(i).padStart(9, "0")}`,
        wamid: `wamid.rbench-warm-${run}-${i}`,
        text: "Hallo",
      }),
    );
    await sleep(2_000);

    // Baseline: the same load without a deletion.
    console.log(`baseline: ${WEBHOOK_RATE} deliveries/s for ${BASELINE_SECONDS} s …`);
    const baselineScansBefore = await scanCounts(db);
    await loops();
    let locks = watchLockWaits(db);
    const baseline = await webhookLoad(target, `${run}-b`, { seconds: BASELINE_SECONDS });
    const baselineLoops = await loops();
    const baselineLocks = await locks.stop();
    const baselineScans = await scanDelta(db, baselineScansBefore, baseline.seconds);
    await sleep(2_000);

    // Deletion: the command in its own process, the load going on until it exits.
    console.log(`deletion: pnpm inbox retention run, ${WEBHOOK_RATE} deliveries/s until it exits …`);
    const scansBefore = await scanCounts(db);
    await loops();
    locks = watchLockWaits(db);
    let exited = false;
    const command = runRetentionCommand(product).finally(() => (exited = true));
    const during = await webhookLoad(target, `${run}-d`, { isDone: () => exited });
    const deletionLoops = await loops();
    const deletionLocks = await locks.stop();
    const result = await command;
    const scans = await scanDelta(db, scansBefore, during.seconds);
    console.log(`pnpm inbox retention run (exit ${result.code}):\n${result.out}`);
    if (result.isTimedOut) console.log(`stopped after DELETE_TIMEOUT_S=${DELETE_TIMEOUT_S} s`);
    else if (result.code !== 0) throw new Error("the retention run failed");
    const retentionRun = await db.retentionRun.findFirstOrThrow({
      where: { isDryRun: false },
      orderBy: { startedAt: "desc" },
    });
    // A run stopped by the timeout has no end: the window ends when the command did.
    const [from, to] = [retentionRun.startedAt.getTime(), retentionRun.finishedAt?.getTime() ?? Date.now()];
    const deleteSeconds = (to - from) / 1000;
    const inRun = latencyOf(during.samples.filter((s) => s.dueAt >= from && s.dueAt <= to));
    const wholeCommand = latencyOf(during.samples);
    const base = latencyOf(baseline.samples);
    const left = await db.message.count({ where: { conversation: { status: "resolved" } } });
    // Messages deleted, from the batches' audit entries (also when the run was stopped before its summary).
    const [batches] = await db.$queryRawUnsafe<{ messages: bigint | null; conversations: bigint | null }[]>(`
      SELECT sum((data->>'count')::int) FILTER (WHERE data->>'what' = 'messages of conversations') AS messages,
             sum((data->>'count')::int) FILTER (WHERE data->>'what' = 'conversations') AS conversations
        FROM "AuditLog" WHERE action = 'retention.deleted' AND data->>'runId' = '${retentionRun.id}'`);
    const messagesLine = {
      deleted: Number(batches?.messages ?? 0),
      conversations: Number(batches?.conversations ?? 0),
    };

    // Every acknowledged delivery stored (a delivery the client gave up on may be stored too: Meta would retry it).
    const acked = ackedWamids.length;
    const [row] = await db.$queryRawUnsafe<{ n: bigint }[]>(
      `SELECT count(*) AS n FROM "Message" WHERE "externalId" = ANY($1::text[])`,
      ackedWamids,
    );
    const stored = Number(row?.n ?? 0);

    const exportRow = EXPORT ? await timeExport(db, channel.id) : null;
    const loopText = (l: Awaited<ReturnType<typeof loops>>) =>
      `api p99 ${fmt(l.api?.p99 ?? NaN)} / max ${fmt(l.api?.max ?? NaN)} ms, worker p99 ${fmt(l.worker?.p99 ?? NaN)} / max ${fmt(l.worker?.max ?? NaN)} ms`;
    const offered = (r: OpenLoopResult) => (r.sent / r.seconds).toFixed(0);
    const deletedText = `${messagesLine.deleted} messages, ${messagesLine.conversations} conversations${result.isTimedOut ? ` — STOPPED after ${DELETE_TIMEOUT_S} s, not finished` : ""}`;
    console.log(
      [
        "",
        `Retention under webhook load — pnpm start (api, worker, simulator), \`pnpm inbox retention run\` in its own process;`,
        `${COUNT.toLocaleString("en")} expired messages (${PER_CONVERSATION} per conversation), signed deliveries at ${WEBHOOK_RATE}/s ` +
          `from ${CUSTOMERS} customers; ${cpus().length} cores, load average (1 min) ${loadAtStart} at start, ${load()} at the end` +
          (Number(loadAtStart) > cpus().length * 0.5 ? " — a BUSY machine: these figures are not the product's" : ""),
        "",
        "| measure | result | target (issue 14) | |",
        "|---|---|---|---|",
        `| deletion (RetentionRun start → end): ${deletedText} | ${deleteSeconds.toFixed(1)} s (${Math.round(messagesLine.deleted / deleteSeconds)} messages/s); the command with its start-up ${result.seconds.toFixed(1)} s | < ${TARGET_DELETE_S} s | ${verdict(!result.isTimedOut && deleteSeconds < TARGET_DELETE_S && left === 0)} |`,
        `| webhook ack p99 during the deletion | ${fmt(inRun.p99)} ms (p50 ${fmt(inRun.p50)}, max ${fmt(inRun.max)}) | < ${TARGET_P99_MS} ms | ${verdict(inRun.p99 < TARGET_P99_MS && inRun.failed === 0)} |`,
        `| webhook ack p99 baseline, no deletion | ${fmt(base.p99)} ms (p50 ${fmt(base.p50)}, max ${fmt(base.max)}) | | |`,
        ...(exportRow ? [exportRow] : []),
        "",
        `deliveries during the deletion: ${inRun.n} sent, ${inRun.ok} acked, ${inRun.failed} failed ` +
          `(while the command ran: ${wholeCommand.n} sent, p99 ${fmt(wholeCommand.p99)} ms; offered ${offered(during)}/s)`,
        `deliveries in the baseline: ${base.n} sent, ${base.ok} acked, ${base.failed} failed (offered ${offered(baseline)}/s)`,
        `event-loop delay, baseline: ${loopText(baselineLoops)}`,
        `event-loop delay, while the command ran: ${loopText(deletionLoops)}`,
        `lock waits (pg_locks, every 100 ms): baseline at most ${baselineLocks.maxWaiting} waiting, longest ${fmt(baselineLocks.longestMs)} ms; ` +
          `during the deletion at most ${deletionLocks.maxWaiting} waiting, longest ${fmt(deletionLocks.longestMs)} ms`,
        `scans of Message and Conversation in the baseline (webhook traffic): ${baselineScans}`,
        `scans of Message and Conversation while the command ran (webhook traffic included): ${scans}`,
        `expired messages left: ${left}; acknowledged deliveries ${acked}, of them stored: ${stored} — ${stored === acked ? "OK, none lost" : "LOST DELIVERIES"}`,
      ].join("\n"),
    );
  } finally {
    closeWebhookConnections();
    await product.destroy();
  }
}

await main();
process.exit(0);
