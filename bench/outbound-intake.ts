/**
 * Intake scenario of bench/outbound.ts (docs/performance.md, "Reply intake"): how fast agents' replies get in.
 * The api runs in its own process (bench/inbound-server.ts, wired as `pnpm start` wires it), the worker in another
 * (bench/outbound-worker.ts), sending the replies to a simulator process at 80 msg/s meanwhile. In each round:
 *   - the webhook maximum: 64 signed customer-message deliveries in flight for CLOSED_SECONDS, against that api;
 *   - reply intake: CLIENTS console clients (own session, own keep-alive connection each) post text replies
 *     (POST /api/conversations/:id/messages) back to back for INTAKE_SECONDS.
 * The figure is intake req/s as a share of the webhook maximum of the same round.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createUser } from "@inbox/core";
import { createTestDatabase, createTestRedisPrefix } from "@inbox/db/testing";
import { signPayload } from "@inbox/whatsapp";
import { TEXT_MESSAGE_WEBHOOK } from "@inbox/whatsapp/fixtures";
import { ApiClient, openSessions, percentile, type Answer } from "./api-clients";
import { phoneNumberIdFor } from "./outbound-numbers";
import { startSimulators, startWorkerProcess } from "./outbound-processes";

const CLIENTS = Number(process.env.CLIENTS ?? 32);
const CLOSED_SECONDS = Number(process.env.CLOSED_SECONDS ?? 6);
const INTAKE_SECONDS = Number(process.env.INTAKE_SECONDS ?? 6);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
/** Conversations the replies go to (customers who wrote in), spread over the clients. */
const CONVERSATIONS = 3_200;
const here = path.dirname(fileURLToPath(import.meta.url));

export interface IntakeRound {
  webhookPerSecond: number;
  intakePerSecond: number;
  intakeP50: number;
  intakeP99: number;
  intakeFailed: number;
  firstFailure: string | null;
}

function startApi(databaseUrl: string, appSecret: string, prefix: string, sessionSecret: string) {
  // API_NODE_ARGS="--cpu-prof --cpu-prof-dir=prof" profiles the api.
  const nodeArgs = (process.env.API_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(
    process.execPath,
    [...nodeArgs, "--import", "tsx", path.join(here, "inbound-server.ts"), "webhook", databaseUrl, appSecret, prefix],
    { cwd: here, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, SESSION_SECRET: sessionSecret } },
  );
  return new Promise<{ port: number; stop(): void }>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve({ port: Number(m[1]), stop: () => child.kill("SIGTERM") });
      if (m && process.env.API_LOG) process.stderr.write(d);
    });
    child.on("exit", (code) => reject(new Error(`api exited with ${code}`)));
  });
}

/** Closed loop of signed customer messages (each from a new customer) for `seconds`; deliveries per second. */
async function webhookMaximum(port: number, appSecret: string, seconds: number, tag: string): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  let ok = 0;
  let n = 0;
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (performance.now() < end) {
        const i = n++;
        const p = structuredClone(TEXT_MESSAGE_WEBHOOK);
        const value = p.entry[0]!.changes[0]!.value as {
          metadata: { phone_number_id: string; display_phone_number: string };
          contacts: { wa_id: string }[];
          messages: { from: string; id: string; timestamp: string }[];
        };
        const from = `4916${tag}${String(i).padStart(7, "0")}`;
        value.metadata = { phone_number_id: phoneNumberIdFor(0), display_phone_number: "49301234567" };
        value.contacts[0]!.wa_id = from;
        value.messages[0]!.from = from;
        value.messages[0]!.id = `wamid.intake-${tag}-${i}`;
        value.messages[0]!.timestamp = String(Math.floor(Date.now() / 1000));
        const body = JSON.stringify(p);
        const status = await new Promise<number>((resolve) => {
          const req = http.request(
            {
              host: "127.0.0.1",
              port,
              path: "/webhooks/whatsapp",
              method: "POST",
              agent,
              headers: {
                "content-type": "application/json",
                "content-length": Buffer.byteLength(body),
                "x-hub-signature-256": signPayload(body, appSecret),
              },
            },
            (res) => {
              res.resume();
              res.on("end", () => resolve(res.statusCode ?? 0));
            },
          );
          req.on("error", () => resolve(0));
          req.end(body);
        });
        if (status === 200) ok++;
      }
    }),
  );
  agent.destroy();
  return ok / ((performance.now() - started) / 1000);
}

/** CLIENTS clients post text replies back to back for `seconds`. */
async function replyIntake(clients: ApiClient[], conversationIds: string[], seconds: number) {
  const latencies: number[] = [];
  let failed = 0;
  let firstFailure: string | null = null;
  let next = 0;
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < end) {
        const id = conversationIds[next++ % conversationIds.length]!;
        const answer: Answer = await client.postMessage(id, "text", "Danke, wir kümmern uns darum.");
        latencies.push(answer.ms);
        if (answer.status !== 202) {
          failed++;
          firstFailure ??= `${answer.status} ${answer.body.slice(0, 200)}`;
        }
      }
    }),
  );
  const perSecond = (latencies.length - failed) / ((performance.now() - started) / 1000);
  latencies.sort((a, b) => a - b);
  return { perSecond, p50: percentile(latencies, 50), p99: percentile(latencies, 99), failed, firstFailure };
}

export async function intakeScenario(): Promise<IntakeRound[]> {
  const t = await createTestDatabase();
  const prefix = createTestRedisPrefix();
  const appSecret = `bench-${randomBytes(8).toString("hex")}`;
  const sessionSecret = randomBytes(32).toString("hex");
  const stops: (() => void)[] = [];
  try {
    const team = await t.db.team.create({ data: { name: "Support" } });
    const channel = await t.db.channel.create({
      data: {
        type: "whatsapp",
        name: "Bench",
        externalId: phoneNumberIdFor(0),
        throughputLimit: 80,
        defaultTeamId: team.id,
      },
    });
    // Customers who wrote in a minute ago: open conversations of the team, inside the 24 h window.
    const { rows } = await t.pgPool.query<{ id: string }>(
      `WITH contacts AS (
         INSERT INTO "Contact" (id, "channelId", "waId", "updatedAt")
         SELECT gen_random_uuid(), $1, '4917' || lpad(i::text, 9, '0'), now() FROM generate_series(1, $3) AS i
         RETURNING id
       )
       INSERT INTO "Conversation" (id, "channelId", "contactId", "activeContactId", "teamId", "lastInboundAt",
                                   "lastMessageAt", "updatedAt")
       SELECT gen_random_uuid(), $1, id, id, $2, now() - interval '1 minute', now() - interval '1 minute', now()
         FROM contacts RETURNING id`,
      [channel.id, team.id, CONVERSATIONS],
    );
    const conversationIds = rows.map((r) => r.id);
    const password = randomBytes(12).toString("hex");
    await createUser(
      t.db,
      { email: "agent@bench.local", password, role: "agent", teams: ["Support"], locale: "de" },
      { type: "system" },
    );
    const sessions = await openSessions(t.db, { email: "agent@bench.local", password, sessionSecret, count: CLIENTS });

    const { children, ports } = await startSimulators(1, 80, 1);
    stops.push(() => children.forEach((c) => c.kill()));
    const worker = await startWorkerProcess(t.url, prefix, ports);
    stops.push(() => worker.kill());
    const api = await startApi(t.url, appSecret, prefix, sessionSecret);
    stops.push(() => api.stop());
    const clients = sessions.map((s) => new ApiClient(api.port, s));
    stops.push(() => clients.forEach((c) => c.close()));

    // Warm-up (JIT, pools, prepared plans), then the rounds.
    await webhookMaximum(api.port, appSecret, 2, "0");
    await replyIntake(clients, conversationIds, 2);
    const rounds: IntakeRound[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const webhookPerSecond = await webhookMaximum(api.port, appSecret, CLOSED_SECONDS, String(round));
      const intake = await replyIntake(clients, conversationIds, INTAKE_SECONDS);
      rounds.push({
        webhookPerSecond,
        intakePerSecond: intake.perSecond,
        intakeP50: intake.p50,
        intakeP99: intake.p99,
        intakeFailed: intake.failed,
        firstFailure: intake.firstFailure,
      });
      console.error(
        `intake round ${round}: webhook max ${webhookPerSecond.toFixed(0)}/s, reply intake ${intake.perSecond.toFixed(0)}/s ` +
          `(${((intake.perSecond / webhookPerSecond) * 100).toFixed(1)} %), p50 ${intake.p50.toFixed(1)} ms, p99 ${intake.p99.toFixed(1)} ms`,
      );
    }
    return rounds;
  } finally {
    for (const stop of stops.reverse()) stop();
    await t.drop();
  }
}
