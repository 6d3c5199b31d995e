/**
 * Soak: realistic mixed load through `pnpm start` for DURATION, to see whether memory and latency stay flat.
 *
 * Starts the product as a user does (simulator mode, a fresh database and a Redis of its own), then, at once:
 *   - customers write in (INBOUND_PER_SECOND, through the simulator: signed webhooks to the api);
 *   - agents reply to them (REPLIES_PER_SECOND; the worker sends through the simulator, which answers with status
 *     webhooks sent → delivered → read: the inbound status load);
 *   - consoles read (READS_PER_SECOND: the conversation list, then one conversation's messages);
 *   - now and then a conversation is resolved, and halfway through the retention schedules run (`pnpm inbox
 *     retention run`, a messages policy of 30 days and old resolved conversations to delete).
 * Every SAMPLE (default one minute; a sixth of DURATION when that is shorter) it prints the api's and the worker's
 * resident memory and the latency of reads and replies (p50/p99) in that window, and at the end whether both stayed
 * flat: the last quarter of the run against the first quarter after warm-up.
 *
 *   pnpm --filter @inbox/bench soak                       (DURATION=30m)
 *   DURATION=60s pnpm --filter @inbox/bench soak          (a quick proof that it runs)
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ApiClient, openSessions, percentile } from "./api-clients";
import { sleep, startProduct, waitFor } from "./product";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** "30m", "60s", "1h" or plain seconds. */
function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(value.trim());
  if (!match) throw new Error(`DURATION must look like 30m, 60s or 1h (got "${value}")`);
  const n = Number(match[1]);
  const unit = match[2] ?? "s";
  return n * { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[unit]!;
}

const DURATION_MS = parseDuration(process.env.DURATION ?? "30m");
const SAMPLE_MS = Number(process.env.SAMPLE_MS ?? Math.min(60_000, Math.max(5_000, DURATION_MS / 6)));
const CUSTOMERS = Number(process.env.CUSTOMERS ?? 200);
const INBOUND_PER_SECOND = Number(process.env.INBOUND_PER_SECOND ?? 10);
const REPLIES_PER_SECOND = Number(process.env.REPLIES_PER_SECOND ?? 5);
const READS_PER_SECOND = Number(process.env.READS_PER_SECOND ?? 10);
/** Growth from the first to the last quarter still counted as flat. */
const FLAT_MEMORY = 1.25;
const FLAT_LATENCY = 1.5;

interface Sample {
  at: number;
  apiRssMb: number;
  workerRssMb: number;
  read: { p50: number; p99: number; n: number };
  reply: { p50: number; p99: number; n: number };
  errors: number;
}

/** Resident memory (MB) of the child.ts process of `role` under the `pnpm start` process `root` (its descendants). */
function rssOf(root: number, role: "api" | "worker"): number {
  const children = new Map<number, number[]>();
  const cmdlines = new Map<number, string[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
      cmdlines.set(Number(entry), readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0"));
    } catch {
      // gone meanwhile
    }
  }
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    const args = cmdlines.get(pid) ?? [];
    const at = args.findIndex((a) => a.endsWith("child.ts"));
    if (at !== -1 && args[at + 1] === role) {
      const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
      return Number(kb ?? 0) / 1024;
    }
    queue.push(...(children.get(pid) ?? []));
  }
  return NaN;
}

/** Runs `task` `perSecond` times a second, spread evenly, until `until`; never more than `maxInFlight` at once. */
async function paced(perSecond: number, until: number, task: (n: number) => Promise<void>): Promise<void> {
  if (perSecond <= 0) return;
  const every = 1_000 / perSecond;
  const inFlight = new Set<Promise<void>>();
  for (let n = 0; Date.now() < until; n++) {
    const next = Date.now() + every;
    if (inFlight.size < 64) {
      const p = task(n).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await sleep(Math.max(0, next - Date.now()));
  }
  await Promise.all(inFlight);
}

const summary = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), n: sorted.length };
};

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

async function main(): Promise<void> {
  console.log(
    `Soak: ${DURATION_MS / 1000} s through pnpm start; ${INBOUND_PER_SECOND} inbound/s, ${REPLIES_PER_SECOND} replies/s, ` +
      `${READS_PER_SECOND} console reads/s; a sample every ${SAMPLE_MS / 1000} s.`,
  );
  const product = await startProduct();
  const { db } = product;
  let failure: unknown = null;
  try {
    // One keep-alive connection per console (as a browser tab): enough of them that requests do not queue in the
    // load driver, so the latencies are the api's (replies and reads on consoles of their own).
    const sessions = await openSessions(db, { ...product.admin, sessionSecret: product.sessionSecret, count: 32 });
    const consoles = sessions.map((s) => new ApiClient(product.port, s));
    const replying = consoles.slice(0, 12);
    const reading = consoles.slice(12);
    const simulator = new ApiClient(product.simulatorPort, { cookie: "", csrfToken: "" });
    const phones = Array.from({ length: CUSTOMERS }, (_, i) => `+4917${String(30_000_000 + i)}`);

    // Every customer writes once, so there are conversations to answer and read from the start.
    for (const phone of phones) {
      await simulator.request("POST", "/_customer/messages", { phone, type: "text", text: "Hallo!" });
    }
    await waitFor("the first conversations", 120_000, async () => (await db.conversation.count()) >= CUSTOMERS);
    const conversationIds = (await db.conversation.findMany({ select: { id: true } })).map((c) => c.id);
    // Retention has something to delete halfway: old resolved conversations under a 30-day messages policy.
    await db.retentionPolicy.create({ data: { category: "messages", retentionDays: 30 } });
    const old = new Date(Date.now() - 60 * 24 * 3600 * 1000);
    await db.conversation.updateMany({
      where: { id: { in: conversationIds.slice(0, Math.floor(CUSTOMERS / 10)) } },
      data: { status: "resolved", resolvedAt: old },
    });
    const open = conversationIds.slice(Math.floor(CUSTOMERS / 10));

    const reads: number[] = [];
    const replies: number[] = [];
    let errors = 0;
    let inboundSent = CUSTOMERS;
    let repliesAccepted = 0;
    const samples: Sample[] = [];
    const startedAt = Date.now();
    const until = startedAt + DURATION_MS;
    const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
    const note = (answer: { status: number }, expected: number) => {
      if (answer.status !== expected) errors++;
    };

    const sampler = (async () => {
      while (Date.now() < until) {
        await sleep(Math.min(SAMPLE_MS, Math.max(0, until - Date.now())));
        const sample: Sample = {
          at: Math.round((Date.now() - startedAt) / 1000),
          apiRssMb: rssOf(product.pid, "api"),
          workerRssMb: rssOf(product.pid, "worker"),
          read: summary(reads.splice(0)),
          reply: summary(replies.splice(0)),
          errors,
        };
        samples.push(sample);
        console.log(
          `${String(sample.at).padStart(5)} s  api ${sample.apiRssMb.toFixed(0)} MB  worker ${sample.workerRssMb.toFixed(0)} MB  ` +
            `reads p50 ${sample.read.p50.toFixed(1)} / p99 ${sample.read.p99.toFixed(1)} ms (${sample.read.n})  ` +
            `replies p50 ${sample.reply.p50.toFixed(1)} / p99 ${sample.reply.p99.toFixed(1)} ms (${sample.reply.n})  errors ${errors}`,
        );
      }
    })();

    const retention = (async () => {
      await sleep(DURATION_MS / 2);
      // Its own process, awaited without blocking this one (the load and its timings go on meanwhile).
      const run = spawn(process.execPath, ["--import", "tsx", "apps/cli/src/main.ts", "retention", "run"], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "",
          DATABASE_URL: product.databaseUrl,
          REDIS_URL: product.redisUrl,
          LOG_LEVEL: "warn",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      let err = "";
      run.stdout.on("data", (d: Buffer) => (out += d.toString()));
      run.stderr.on("data", (d: Buffer) => (err += d.toString()));
      const code = await new Promise<number | null>((resolve) => run.on("close", resolve));
      console.log(`retention run (exit ${code}): ${out.trim().split("\n").join(" | ")}`);
      if (code !== 0) throw new Error(`retention run failed: ${err}`);
    })();

    await Promise.all([
      paced(INBOUND_PER_SECOND, until, async (n) => {
        const answer = await simulator.request("POST", "/_customer/messages", {
          phone: pick(phones),
          type: "text",
          text: `Frage ${n}`,
        });
        note(answer, 200);
        if (answer.status === 200) inboundSent++;
      }),
      paced(REPLIES_PER_SECOND, until, async (n) => {
        const client = replying[n % replying.length]!;
        const id = pick(open);
        const answer = await client.postMessage(id, "text", `Antwort ${n}`);
        replies.push(answer.ms);
        note(answer, 202);
        if (answer.status === 202) repliesAccepted++;
        // Now and then the agent resolves the conversation (a new customer message reopens it).
        if (n % 25 === 0)
          note(await client.request("POST", `/api/conversations/${id}/status`, { status: "resolved" }), 200);
      }),
      paced(READS_PER_SECOND, until, async (n) => {
        const client = reading[n % reading.length]!;
        const list = await client.request("GET", "/api/conversations?status=all&limit=50");
        reads.push(list.ms);
        note(list, 200);
        const messages = await client.request("GET", `/api/conversations/${pick(open)}/messages?limit=50`);
        reads.push(messages.ms);
        note(messages, 200);
      }),
      sampler,
      retention,
    ]);

    // Let the last sends and webhooks land, then count both ends.
    await waitFor("the last sends", 120_000, async () => {
      const pending = await db.message.count({
        where: { direction: "outbound", status: { in: ["queued", "sending"] } },
      });
      return pending === 0;
    }).catch(() => console.log("some replies were still being sent after two minutes"));
    const inboundStored = await db.message.count({ where: { direction: "inbound" } });
    const outbound = await db.message.groupBy({ by: ["status"], _count: true, where: { direction: "outbound" } });
    console.log(
      `\ninbound: ${inboundSent} sent by customers, ${inboundStored} stored (old resolved conversations deleted by ` +
        `retention count as sent, not stored); replies: ${repliesAccepted} accepted, by status ` +
        JSON.stringify(Object.fromEntries(outbound.map((o) => [o.status, o._count]))) +
        `; request errors: ${errors}`,
    );

    // Flat? The first quarter (after the first sample: warm-up) against the last quarter.
    const usable = samples.slice(1);
    const quarter = Math.max(1, Math.floor(usable.length / 4));
    const first = usable.slice(0, quarter);
    const last = usable.slice(-quarter);
    if (usable.length < 2) {
      console.log("too few samples to judge flatness (DURATION too short for SAMPLE_MS)");
      return;
    }
    const verdict = (name: string, a: number, b: number, limit: number, unit: string) =>
      console.log(
        `${name}: ${a.toFixed(1)} → ${b.toFixed(1)} ${unit} (×${(b / a).toFixed(2)}) — ${b <= a * limit ? "flat" : "GROWING"}`,
      );
    verdict("api memory", mean(first.map((s) => s.apiRssMb)), mean(last.map((s) => s.apiRssMb)), FLAT_MEMORY, "MB");
    verdict(
      "worker memory",
      mean(first.map((s) => s.workerRssMb)),
      mean(last.map((s) => s.workerRssMb)),
      FLAT_MEMORY,
      "MB",
    );
    verdict("read p99", mean(first.map((s) => s.read.p99)), mean(last.map((s) => s.read.p99)), FLAT_LATENCY, "ms");
    verdict("reply p99", mean(first.map((s) => s.reply.p99)), mean(last.map((s) => s.reply.p99)), FLAT_LATENCY, "ms");
    for (const c of consoles) c.close();
    simulator.close();
  } catch (error) {
    failure = error;
  } finally {
    await product.destroy();
  }
  if (failure) throw failure;
}

await main();
