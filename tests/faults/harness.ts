/**
 * The fault suite's stack, as operators run it, on loopback only: the Cloud API simulator (`pnpm inbox simulator`),
 * an api (`pnpm inbox serve api`) and workers (apps/cli/src/test/fault-worker.ts: the product's worker with two waits
 * shortened by parameters) on a database and a redis-server of the test's own, so a test may kill and restart them.
 * Counting helpers read both ends: the product's database and what the simulator's customers received.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase, startTestRedisServer, type TestDatabase, type TestRedisServer } from "@inbox/db/testing";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const PHONE_NUMBER_ID = "109000000000077";
const PASSWORD = "correct horse battery";
const AGENT = "agent@faults.test";

export interface StackOptions {
  workers: number;
  /** The number's send limit (messages per second); lower stretches a burst so a fault lands in the middle of it. */
  throughputLimit?: number;
  /** Redis with an fsynced append-only file (production's AOF), so a crash keeps the queues. */
  persistentRedis?: boolean;
  /** Extra environment of the workers (FAULT_GRAPH_TIMEOUT_MS, FAULT_RECONCILE_GRACE_MS, WORKER_OUTBOUND_CONCURRENCY). */
  workerEnv?: Record<string, string>;
}

export interface Session {
  cookie: string;
  csrf: string;
}

export interface Stack {
  t: TestDatabase;
  redis: TestRedisServer;
  workers: ChildProcess[];
  apiUrl: string;
  simUrl: string;
  /** Starts one more worker and waits until it runs. */
  startWorker(): Promise<ChildProcess>;
  logIn(): Promise<Session>;
  /** A customer writes (the simulator delivers the signed webhook, retrying like Meta). */
  customerSays(phone: string, text: string): Promise<void>;
  /** An agent's reply; retried with the same clientId (as the console does) until the api answers 202. */
  reply(session: Session, conversationId: string, text: string, timeoutMs?: number): Promise<void>;
  /** Outbound texts each customer's phone received, with how often. */
  receivedCounts(phones: string[]): Promise<Map<string, number>>;
  simulatorControl(pathname: string, body: unknown): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SIGKILL: no shutdown handler runs, no lock is released, in-flight requests are cut. */
export function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const t = await createTestDatabase();
  const redis = await startTestRedisServer({ persistent: options.persistentRedis });
  const mediaDir = await mkdtemp(path.join(tmpdir(), "fault-media-"));
  const [apiPort, simPort] = [await freePort(), await freePort()];
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const simUrl = `http://127.0.0.1:${simPort}`;
  const children: ChildProcess[] = [];
  const workers: ChildProcess[] = [];

  const team = await t.db.team.create({ data: { name: "Support" } });
  await t.db.channel.create({
    data: {
      type: "whatsapp",
      name: "WA",
      externalId: PHONE_NUMBER_ID,
      defaultTeamId: team.id,
      throughputLimit: options.throughputLimit ?? 80,
    },
  });
  const shared = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    NODE_ENV: "development",
    DATABASE_URL: t.url,
    REDIS_URL: redis.url,
    SESSION_SECRET: "fault-suite-session-secret-0123456789abcdef",
    WHATSAPP_ACCESS_TOKEN: "fault-suite-token",
    WHATSAPP_APP_SECRET: "fault-suite-app-secret",
    WHATSAPP_VERIFY_TOKEN: "fault-suite-verify",
    WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
    WHATSAPP_BUSINESS_ACCOUNT_ID: "209000000000077",
    GRAPH_API_URL: `${simUrl}/v25.0`,
    MEDIA_DIR: mediaDir,
    LOG_LEVEL: process.env.FAULT_LOG ?? "warn",
    PORT: String(apiPort),
    PUBLIC_URL: apiUrl,
  };

  const run = (args: string[], env: Record<string, string>, label: string): ChildProcess => {
    const child = spawn(process.execPath, ["--import", "tsx", ...args], {
      cwd: ROOT,
      env: { ...shared, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let errors = "";
    child.stderr?.on("data", (d: Buffer) => {
      errors = (errors + d.toString()).slice(-4000);
      if (process.env.FAULT_LOG) process.stderr.write(`[${label}] ${d.toString()}`);
    });
    child.on("exit", (code, signal) => {
      if (code && !signal) console.error(`${label} exited ${code}: ${errors}`);
    });
    children.push(child);
    return child;
  };

  const startWorker = async () => {
    const child = run(["apps/cli/src/test/fault-worker.ts"], options.workerEnv ?? {}, `worker ${workers.length + 1}`);
    workers.push(child);
    await new Promise<void>((resolve, reject) => {
      let out = "";
      child.stdout?.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("worker ready")) resolve();
      });
      child.once("exit", (code) => reject(new Error(`worker exited (${code}) before it was ready`)));
    });
    return child;
  };

  // An agent of the team that receives the conversations, created with the CLI as operators do (meanwhile the
  // simulator and the api start).
  const agentCreated = new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "apps/cli/src/main.ts",
        "user",
        "create",
        "--email",
        AGENT,
        "--password",
        PASSWORD,
        "--role",
        "agent",
        "--team",
        team.name,
      ],
      { cwd: ROOT, env: shared, stdio: ["ignore", "ignore", "pipe"] },
    );
    let errors = "";
    child.stderr.on("data", (d: Buffer) => (errors += d.toString()));
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`user create failed: ${errors}`))));
  });
  agentCreated.catch(() => undefined); // awaited below; a failure meanwhile is not an unhandled rejection

  try {
    run(
      ["apps/cli/src/main.ts", "simulator"],
      { SIMULATOR_PORT: String(simPort), SIMULATOR_WEBHOOK_URL: `${apiUrl}/webhooks/whatsapp` },
      "simulator",
    );
    run(["apps/cli/src/main.ts", "serve", "api"], {}, "api");
    await waitUntil(async () => (await fetch(`${apiUrl}/readyz`)).ok, "the api", 180_000);
    await waitUntil(async () => (await fetch(`${simUrl}/healthz`)).ok, "the simulator", 60_000);
    await Promise.all([agentCreated, ...Array.from({ length: options.workers }, () => startWorker())]);
  } catch (error) {
    // Nothing may outlive a failed start: the processes, the Redis, the database.
    for (const child of children) child.kill("SIGKILL");
    await redis.destroy();
    await t.drop();
    throw error;
  }

  const stack: Stack = {
    t,
    redis,
    workers,
    apiUrl,
    simUrl,
    startWorker,
    async logIn() {
      const res = await fetch(`${apiUrl}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: AGENT, password: PASSWORD }),
      });
      if (res.status !== 200) throw new Error(`login answered ${res.status}: ${await res.text()}`);
      const cookie = res.headers
        .getSetCookie()
        .map((c) => c.split(";")[0])
        .join("; ");
      return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
    },
    async customerSays(phone, text) {
      const res = await fetch(`${simUrl}/_customer/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ phone, type: "text", text }),
      });
      if (!res.ok) throw new Error(`the simulator refused a customer message: ${res.status}`);
    },
    async reply(session, conversationId, text, timeoutMs = 60_000) {
      const clientId = randomUUID();
      const until = Date.now() + timeoutMs;
      for (;;) {
        const res = await fetch(`${apiUrl}/api/conversations/${conversationId}/messages`, {
          method: "POST",
          headers: { "content-type": "application/json", cookie: session.cookie, "x-csrf-token": session.csrf },
          body: JSON.stringify({ type: "text", text, clientId }),
        }).catch(() => null);
        if (res?.status === 202) return;
        if (res && res.status < 500) throw new Error(`reply answered ${res.status}: ${await res.text()}`);
        if (Date.now() > until) throw new Error(`reply not accepted within ${timeoutMs} ms (${res?.status})`);
        await sleep(250);
      }
    },
    async receivedCounts(phones) {
      const counts = new Map<string, number>();
      for (const phone of phones) {
        const res = await fetch(`${simUrl}/_customer/conversation?customer=${phone}`);
        const chat = (await res.json()) as { messages: { direction: string; text: string }[] };
        for (const m of chat.messages.filter((x) => x.direction === "outbound")) {
          counts.set(m.text, (counts.get(m.text) ?? 0) + 1);
        }
      }
      return counts;
    },
    async simulatorControl(pathname, body) {
      const res = await fetch(`${simUrl}${pathname}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${pathname} answered ${res.status}: ${await res.text()}`);
    },
    async stop() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              child.once("exit", () => resolve());
              child.kill("SIGTERM");
              setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
            }),
        ),
      );
      await redis.destroy();
      await t.drop();
      await rm(mediaDir, { recursive: true, force: true });
    },
  };
  return stack;
}

/** Customers write once each and the product stores it: conversations exist and their 24 h windows are open. */
export async function openConversations(stack: Stack, phones: string[]): Promise<Map<string, string>> {
  for (const phone of phones) await stack.customerSays(phone, `hello from ${phone}`);
  await waitUntil(
    async () => (await stack.t.db.message.count({ where: { direction: "inbound" } })) === phones.length,
    "the customers' first messages stored",
  );
  const conversations = await stack.t.db.conversation.findMany({
    select: { id: true, contact: { select: { waId: true } } },
  });
  return new Map(conversations.map((c) => [c.contact.waId!, c.id]));
}

export const phonesFor = (count: number, prefix: string) =>
  Array.from({ length: count }, (_, i) => `${prefix}${String(100_000 + i)}`);

/** Outbound messages by final state: never `queued`/`sending` once everything settled. */
export async function outboundByStatus(t: TestDatabase): Promise<Record<string, number>> {
  const rows = await t.db.message.groupBy({ by: ["status"], _count: true, where: { direction: "outbound" } });
  return Object.fromEntries(rows.map((r) => [r.status, r._count]));
}
