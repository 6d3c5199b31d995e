/**
 * CPU per console request, in-process — a figure a busy machine distorts far less than latency: the product's api
 * (`buildApp`, wired as `pnpm start` wires it: Prisma, the plain pg pool of 4, outbox relay, live batcher; logs at
 * `info` serialised as in production but thrown away) on a fresh database, an agent signed in, and N sequential
 * `app.inject` requests of each kind after WARMUP of the same kind:
 *
 *   - GET /api/auth/me (the reference: the session lookup and the hooks every request runs),
 *   - POST /api/conversations/:id/messages with a text reply (stored `queued` with its `message.send` outbox row,
 *     announced live, drained to BullMQ by the relay),
 *   - the same with a private note (stored `sent`, announced live; no job).
 *
 * Per kind: this process's user + system CPU over the N requests divided by N (and again including the wait until
 * what they set off — the relay's drain, the live publish — is done), and the statements sent to Postgres (all, and Prisma's
 * apart), transactions and Redis commands per request.
 *
 *   pnpm --filter @inbox/bench request-cpu      (N=300 WARMUP=100)
 *   PROFILE_DIR=<dir> also writes a CPU profile of each kind's measured requests (<dir>/<kind>.cpuprofile, for
 *   bench/profile-summary.ts); the CPU figures are then not comparable.
 */
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import path from "node:path";
import pg from "pg";
import { buildApp } from "@inbox/api";
import { parseEnv } from "@inbox/config";
import { createUser } from "@inbox/core";
import { CSRF_HEADER, SESSION_COOKIE } from "@inbox/contracts";
import { createDb, createPgPool } from "@inbox/db";
import { createTestDatabase, createTestRedisPrefix, prepareTemplateDatabase, TEST_REDIS_URL } from "@inbox/db/testing";
import { createRedis, JobQueues } from "@inbox/jobs";
import { createLogger } from "@inbox/logger";

const N = Number(process.env.N ?? 300);
const WARMUP = Number(process.env.WARMUP ?? 100);
const CONVERSATIONS = 50;
const PASSWORD = "correct horse battery";
const PROFILE_DIR = process.env.PROFILE_DIR;

// Round trips: every statement any pg client of this process sends, Prisma's apart (its driver adapter asks for rows
// as arrays); Redis commands through ioredis's sendCommand (the shared connection and its duplicates).
const counts = { statements: 0, prisma: 0, transactions: 0, redis: 0 };
/** The bench's own connection (whether the outbox is drained): not counted. */
const ownClients = new WeakSet<object>();
const clientQuery = Reflect.get(pg.Client.prototype, "query") as (this: object, ...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: object, ...args: unknown[]) {
  if (ownClients.has(this)) return clientQuery.apply(this, args);
  counts.statements++;
  const config = typeof args[0] === "string" ? { text: args[0] } : (args[0] as { text?: string; rowMode?: string });
  if (config.rowMode === "array") counts.prisma++;
  if (config.text !== undefined && /^BEGIN\b/.test(config.text)) counts.transactions++;
  return clientQuery.apply(this, args);
} as typeof pg.Client.prototype.query;

await prepareTemplateDatabase();
const t = await createTestDatabase();
const env = parseEnv({ ...process.env, DATABASE_URL: t.url, LOG_LEVEL: "info", REDIS_URL: TEST_REDIS_URL });
const db = createDb(t.url, { max: 10 });
const pgPool = createPgPool(t.url, { max: 4 });
const redis = createRedis(env.REDIS_URL);
const redisProto = Object.getPrototypeOf(redis) as { sendCommand: (...args: unknown[]) => unknown };
const sendCommand = redisProto.sendCommand;
redisProto.sendCommand = function (this: unknown, ...args: unknown[]) {
  counts.redis++;
  return sendCommand.apply(this, args);
};
const queues = new JobQueues(redis, createTestRedisPrefix());
const log = createLogger({ name: "bench-api", level: "info", destination: { write: () => undefined } });
const own = new pg.Client({ connectionString: t.url });
ownClients.add(own);
await own.connect();
const app = await buildApp({ env, db, pgPool, redis, queues, log, clock: () => new Date(), consoleDir: null });

try {
  const team = await db.team.create({ data: { name: "Support" } });
  await createUser(
    db,
    { email: "agent@example.com", password: PASSWORD, role: "agent", teams: ["Support"], locale: "en" },
    { type: "system" },
  );
  const channel = await db.channel.create({
    data: { type: "whatsapp", name: "WhatsApp", externalId: "100000000000001", defaultTeamId: team.id },
  });
  const conversationIds: string[] = [];
  for (let i = 0; i < CONVERSATIONS; i++) {
    const contact = await db.contact.create({
      data: { channelId: channel.id, waId: `49151${String(i).padStart(8, "0")}`, displayName: `Kunde ${i}` },
    });
    const at = new Date();
    const conversation = await db.conversation.create({
      data: {
        channelId: channel.id,
        contactId: contact.id,
        activeContactId: contact.id,
        teamId: team.id,
        lastMessageAt: at,
        lastInboundAt: at,
      },
    });
    conversationIds.push(conversation.id);
  }

  const login = await app.inject({
    method: "POST",
    url: "/api/auth/login",
    payload: { email: "agent@example.com", password: PASSWORD },
  });
  if (login.statusCode !== 200) throw new Error(`login answered ${login.statusCode}: ${login.body}`);
  const cookie = login.cookies.find((c) => c.name === SESSION_COOKIE)!;
  const headers = {
    cookie: `${SESSION_COOKIE}=${cookie.value}`,
    [CSRF_HEADER]: login.json<{ csrfToken: string }>().csrfToken,
  };

  type Kind = "me" | "text" | "note";
  let sent = 0;
  const request = async (kind: Kind) => {
    const n = sent++;
    const res =
      kind === "me"
        ? await app.inject({ method: "GET", url: "/api/auth/me", headers })
        : await app.inject({
            method: "POST",
            url: `/api/conversations/${conversationIds[n % CONVERSATIONS]}/messages`,
            headers,
            payload: { type: kind, text: `Bench ${kind} ${n}`, clientId: randomUUID() },
          });
    const expected = kind === "me" ? 200 : 202;
    if (res.statusCode !== expected) throw new Error(`${kind} answered ${res.statusCode}: ${res.body}`);
  };

  /** Until the relay has handed every reply's job to BullMQ and the live batcher is idle. */
  const settle = async () => {
    for (;;) {
      const { rows } = await own.query<{ n: string }>(
        `SELECT count(*) AS n FROM "OutboxJob" WHERE "dispatchedAt" IS NULL`,
      );
      if (Number(rows[0]!.n) === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 50));
  };

  const profiler = PROFILE_DIR ? new Session() : null;
  if (profiler) {
    profiler.connect();
    await profiler.post("Profiler.enable");
  }
  const rows: string[] = [];
  for (const kind of ["me", "text", "note"] as const) {
    for (let i = 0; i < WARMUP; i++) await request(kind);
    await settle();
    if (profiler) await profiler.post("Profiler.start");
    const before = { ...counts };
    const cpu = process.cpuUsage();
    for (let i = 0; i < N; i++) await request(kind);
    // What the requests set off (the relay's drain, the live publish) belongs to them: wait for it, uncounted.
    const used = process.cpuUsage(cpu);
    const after = { ...counts };
    await settle();
    const settled = { ...counts };
    const cpuAll = process.cpuUsage(cpu);
    if (profiler) {
      const { profile } = await profiler.post("Profiler.stop");
      writeFileSync(path.join(PROFILE_DIR!, `${kind}.cpuprofile`), JSON.stringify(profile));
    }
    const per = (a: number, b: number) => ((a - b) / N).toFixed(2);
    rows.push(
      `| ${kind.padEnd(4)} | ${((used.user + used.system) / N).toFixed(0)} | ${(used.user / N).toFixed(0)} / ${(used.system / N).toFixed(0)} | ` +
        `${((cpuAll.user + cpuAll.system) / N).toFixed(0)} | ` +
        `${per(settled.statements, before.statements)} | ${per(settled.prisma, before.prisma)} | ` +
        `${per(settled.transactions, before.transactions)} | ${per(settled.redis, before.redis)} | ` +
        `${per(after.statements, before.statements)} |`,
    );
  }
  console.log(
    [
      "",
      `${N} sequential requests of each kind (after ${WARMUP} of the same kind), app.inject, one agent session:`,
      "",
      "| kind | CPU µs / request | user / system | incl. settle | Postgres statements | of them Prisma's | transactions | Redis commands | statements before settle |",
      "|---|---|---|---|---|---|---|---|---|",
      ...rows,
      "",
      "(me = GET /api/auth/me; text = a text reply; note = a private note. Statements include BEGIN/COMMIT.)",
    ].join("\n"),
  );
} finally {
  await app.close();
  await own.end();
  await queues.close();
  redis.disconnect();
  await db.$disconnect();
  await pgPool.end();
  await t.drop();
}
process.exit(0);
