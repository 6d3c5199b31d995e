/**
 * Routing benchmark (issue 13, docs/routing.md "Benchmark"): N new conversations arrive at RATE per second as signed
 * WhatsApp webhooks at the product's api (its own process, bench/inbound-server.ts), and TWO worker processes
 * (bench/routing-worker.ts) route and auto-assign them at once. One team, round robin, AGENTS available agents with
 * CAPACITY open conversations each (by default room for 80 % of the conversations: the rest must wait in the queue).
 * Afterwards, from the database:
 *   - every conversation assigned or queued (none lost between webhook and routing);
 *   - p50 / p99 / max from the webhook's acknowledgement to the assignment (`assignedAt`), for the assigned ones;
 *   - the highest agent load against the capacity (must never exceed it);
 *   - conversations assigned twice (two assignment lines / audit entries: must be 0);
 *   - Postgres transactions per conversation during the run (pg_stat_database), the routing job's cost;
 *   - route jobs (outbox rows) per conversation and the workers' CPU time per conversation.
 *
 *   pnpm --filter @inbox/bench routing          (N=10000 RATE=500 AGENTS=40 CAPACITY=N*0.8/AGENTS TIMEOUT_S=120)
 *   PROFILE_DIR=<dir> runs the api and both workers under `node --cpu-prof` (bench/profile-summary.ts reads them).
 */
import { fork, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase, createTestRedisPrefix, prepareTemplateDatabase, TEST_REDIS_URL } from "@inbox/db/testing";
import { createRedis, JobQueues } from "@inbox/jobs";
import { META_METADATA } from "@inbox/whatsapp/fixtures";
import { closeWebhookConnections, postWebhook, textMessageDelivery } from "./webhook-load";

const N = Number(process.env.N ?? 10_000);
const RATE = Number(process.env.RATE ?? 500);
const AGENTS = Number(process.env.AGENTS ?? 40);
const CAPACITY = Number(process.env.CAPACITY ?? Math.max(1, Math.floor((N * 0.8) / AGENTS)));
const TIMEOUT_S = Number(process.env.TIMEOUT_S ?? 120);
const APP_SECRET = `bench-${randomBytes(8).toString("hex")}`;
const here = path.dirname(fileURLToPath(import.meta.url));
const PROFILE = process.env.PROFILE_DIR
  ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.PROFILE_DIR)}`]
  : [];

const waIdOf = (n: number) => `4916${String(n).padStart(9, "0")}`;

const webhook = (n: number) =>
  textMessageDelivery({ from: waIdOf(n), wamid: `wamid.routing-bench-${n}`, text: `Neue Anfrage ${n}` });

const post = (port: number, body: string) =>
  postWebhook({ port, path: "/webhooks/whatsapp", appSecret: APP_SECRET }, body);

function startApi(url: string, prefix: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    [...PROFILE, "--import", "tsx", path.join(here, "inbound-server.ts"), "webhook", url, APP_SECRET, prefix],
    { cwd: here, stdio: ["ignore", "pipe", "inherit"] },
  );
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on("exit", (code) => reject(new Error(`api exited with ${code}`)));
  });
}

function startWorkerProcess(url: string, prefix: string): Promise<ChildProcess> {
  const child = fork(path.join(here, "routing-worker.ts"), [url, prefix], {
    cwd: here,
    execArgv: [...PROFILE, "--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("worker did not start within 60 s")), 60_000);
    child.once("message", () => {
      clearTimeout(timer);
      resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`worker exited with ${code}`)));
  });
}

function stopWorker(child: ChildProcess): Promise<{ cpu: number; cpuMs: number }> {
  return new Promise((resolve) => {
    child.once("message", (m: { cpu: number; cpuMs: number }) => resolve(m));
    child.send("stop");
  });
}

/** CPU time (user + system) a child process used so far, from /proc (Linux; clock ticks of 10 ms). */
const cpuMsOf = (child: ChildProcess) => {
  const fields = readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN;

async function main(): Promise<void> {
  await prepareTemplateDatabase();
  const t = await createTestDatabase();
  const prefix = createTestRedisPrefix();
  const children: ChildProcess[] = [];
  const redis = createRedis(TEST_REDIS_URL);
  try {
    const team = await t.db.team.create({
      data: { name: "Support", assignmentStrategy: "round_robin", requirePresence: false },
    });
    await t.db.channel.create({
      data: { type: "whatsapp", name: "Bench", externalId: META_METADATA.phone_number_id, defaultTeamId: team.id },
    });
    for (let i = 0; i < AGENTS; i++) {
      const user = await t.db.user.create({
        data: {
          email: `agent${i}@bench.test`,
          name: `Agent ${i}`,
          passwordHash: "x",
          availability: "available",
          maxOpenConversations: CAPACITY,
        },
      });
      await t.db.teamMembership.create({ data: { userId: user.id, teamId: team.id } });
    }
    const api = await startApi(t.url, prefix);
    children.push(api.child);
    const workers = [await startWorkerProcess(t.url, prefix), await startWorkerProcess(t.url, prefix)];
    children.push(...workers);
    const apiCpuBefore = cpuMsOf(api.child);
    const [before] = (
      await t.pgPool.query<{ xacts: string }>(
        `SELECT (xact_commit + xact_rollback)::text AS xacts FROM pg_stat_database WHERE datname = current_database()`,
      )
    ).rows;

    console.log(`routing bench: N=${N} RATE=${RATE}/s AGENTS=${AGENTS} CAPACITY=${CAPACITY} (2 worker processes)`);
    const ackAt = new Map<string, number>();
    let errors = 0;
    const pending: Promise<void>[] = [];
    const start = performance.now();
    let sent = 0;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const due = Math.min(N, Math.floor(((performance.now() - start) / 1000) * RATE));
        while (sent < due) {
          const n = sent++;
          pending.push(
            post(api.port, webhook(n)).then((status) => {
              if (status === 200) ackAt.set(waIdOf(n), Date.now());
              else errors++;
            }),
          );
        }
        if (sent >= N) resolve();
        else setTimeout(tick, 2);
      };
      tick();
    });
    await Promise.all(pending);
    const sendSeconds = (performance.now() - start) / 1000;
    console.log(`sent ${N} webhooks in ${sendSeconds.toFixed(1)} s (${errors} not acknowledged)`);

    // Wait until every conversation is assigned or queued, and the queue holds no more than capacity leaves over.
    const room = AGENTS * CAPACITY;
    const deadline = Date.now() + TIMEOUT_S * 1000;
    let state = { total: 0, assigned: 0, queued: 0 };
    while (Date.now() < deadline) {
      const { rows } = await t.pgPool.query<{ total: number; assigned: number; queued: number }>(
        `SELECT count(*)::int AS total, count("assigneeId")::int AS assigned,
                count(*) FILTER (WHERE "assigneeId" IS NULL AND "queuedAt" IS NOT NULL)::int AS queued
           FROM "Conversation"`,
      );
      state = rows[0]!;
      if (state.total >= ackAt.size && state.assigned + state.queued >= state.total) {
        if (state.assigned >= Math.min(room, state.total)) break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const apiCpuMs = cpuMsOf(api.child) - apiCpuBefore;
    const cpu = await Promise.all(workers.map(stopWorker));
    const [after] = (
      await t.pgPool.query<{ xacts: string }>(
        `SELECT (xact_commit + xact_rollback)::text AS xacts FROM pg_stat_database WHERE datname = current_database()`,
      )
    ).rows;

    const { rows: assigned } = await t.pgPool.query<{ waId: string; assignedAt: Date }>(
      `SELECT k."waId", c."assignedAt" FROM "Conversation" c JOIN "Contact" k ON k.id = c."contactId"
        WHERE c."assigneeId" IS NOT NULL`,
    );
    // assignedAt is stored as UTC without a zone: read back as local by pg, so compare in UTC.
    const latencies = assigned
      .map((r) => {
        const at = r.assignedAt.getTime() - r.assignedAt.getTimezoneOffset() * 60_000;
        return at - (ackAt.get(r.waId) ?? at);
      })
      .sort((a, b) => a - b);
    const { rows: loads } = await t.pgPool.query<{ load: number }>(
      `SELECT count(*)::int AS load FROM "Conversation" WHERE "assigneeId" IS NOT NULL AND status <> 'resolved'
        GROUP BY "assigneeId" ORDER BY load DESC LIMIT 1`,
    );
    const { rows: twice } = await t.pgPool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT "entityId" FROM "AuditLog" WHERE action LIKE 'conversation.assignment.%'
        GROUP BY "entityId" HAVING count(*) > 1) x`,
    );
    const ms = (v: number) => `${Math.round(v)} ms`;
    // Where the time goes between acknowledgement and assignment: the outbox row's wait for the relay, the BullMQ
    // job's wait for a worker, and the job's own run (which includes waiting for the team's assignment).
    const { rows: relay } = await t.pgPool.query<{ ms: number }>(
      `SELECT extract(epoch FROM "dispatchedAt" - "availableAt") * 1000 AS ms FROM "OutboxJob"
        WHERE name = 'conversation.route' AND "dispatchedAt" IS NOT NULL ORDER BY 1`,
    );
    const relayMs = relay.map((r) => Number(r.ms));
    const routeRowsPer = relay.length / Math.max(1, state.total);
    const queues = new JobQueues(redis, prefix);
    const jobs = await queues.queues.inbound.getJobs(["completed"], 0, N);
    await queues.close();
    const routeJobs = jobs.filter((j) => j.name === "conversation.route" && j.processedOn && j.finishedOn);
    const jobWait = routeJobs.map((j) => j.processedOn! - j.timestamp).sort((a, b) => a - b);
    const jobRun = routeJobs.map((j) => j.finishedOn! - j.processedOn!).sort((a, b) => a - b);
    const spread = (v: number[]) => `${ms(percentile(v, 50))} / ${ms(percentile(v, 99))}`;
    const maxLoad = loads[0]?.load ?? 0;
    const lost = state.total - state.assigned - state.queued;
    const xactsPer = (Number(after!.xacts) - Number(before!.xacts)) / Math.max(1, state.total);
    console.table({
      conversations: state.total,
      acknowledged: ackAt.size,
      assigned: state.assigned,
      queued: state.queued,
      "neither (lost)": lost,
      "ack → assigned p50": ms(percentile(latencies, 50)),
      "ack → assigned p99": ms(percentile(latencies, 99)),
      "ack → assigned max": ms(latencies.at(-1) ?? NaN),
      "max agent load / capacity": `${maxLoad} / ${CAPACITY}`,
      "assigned twice": twice[0]?.n ?? 0,
      "outbox → BullMQ p50 / p99": spread(relayMs),
      "job waiting for a worker p50 / p99": spread(jobWait),
      "job run p50 / p99": spread(jobRun),
      "Postgres transactions per conversation": xactsPer.toFixed(1),
      "route jobs (outbox rows) per conversation": routeRowsPer.toFixed(3),
      "worker CPU (% of a core)": cpu.map((c) => c.cpu).join(" + "),
      "worker CPU ms per conversation": cpu.map((c) => (c.cpuMs / Math.max(1, state.total)).toFixed(2)).join(" + "),
      "api CPU ms per conversation": (apiCpuMs / Math.max(1, state.total)).toFixed(2),
    });
    const isOk = lost === 0 && maxLoad <= CAPACITY && (twice[0]?.n ?? 0) === 0 && ackAt.size === N;
    console.log(isOk ? "OK" : "FAILED: see the table");
    if (!isOk) process.exitCode = 1;
  } finally {
    closeWebhookConnections();
    for (const c of children) c.kill();
    redis.disconnect();
    await t.drop().catch(() => undefined);
  }
}

await main();
