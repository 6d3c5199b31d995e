/**
 * The inbound write path's cost in Postgres per call and per message, by batch size: on a fresh migrated database
 * with CUSTOMERS known customers, the receiver's fast path (`applyWhatsAppDelivery` with a pg pool, as the api's group
 * commit calls it) stores deliveries of B text messages from B random known customers, one after another on one
 * connection. The group commit hands the write path small batches at moderate load and large ones under pressure, so
 * the fixed cost of a call (planning, the function's setup, the round trip) and the cost per message both matter.
 * The connection commits without waiting for the disk (`synchronous_commit = off`): this measures the database's
 * work, not the disk's flushes (bench/inbound.ts measures those too). "Postgres CPU" is the serving backend's own
 * user + system time (Linux, Postgres on this machine; "n/a" otherwise); "wall" includes this process's side.
 *
 *   pnpm --filter @inbox/bench write-path     (BATCHES=1,4,16,64 MESSAGES=6400 CUSTOMERS=5000)
 */
import { existsSync, readFileSync } from "node:fs";
import { applyWhatsAppDelivery, ChannelDirectory, ConsentKeywordCache } from "@inbox/core";
import { createPgPool } from "@inbox/db";
import { createTestDatabase, prepareTemplateDatabase } from "@inbox/db/testing";
import { META_METADATA, TEXT_MESSAGE_WEBHOOK, toDelivery } from "@inbox/whatsapp/fixtures";

const BATCHES = (process.env.BATCHES ?? "1,4,16,64").split(",").map(Number);
const MESSAGES = Number(process.env.MESSAGES ?? 6400);
const CUSTOMERS = Number(process.env.CUSTOMERS ?? 5000);

let wamids = 0;
const waId = (i: number) => `4915${String(i).padStart(9, "0")}`;

/** Meta's text example with one message from each of the given customers. */
function deliveryFrom(customers: number[]) {
  const p = JSON.parse(JSON.stringify(TEXT_MESSAGE_WEBHOOK)) as {
    entry: { changes: { value: Record<string, unknown> & { contacts: object[]; messages: object[] } }[] }[];
  };
  const v = p.entry[0]!.changes[0]!.value;
  const [contact, message] = [v.contacts[0]!, v.messages[0]!];
  const timestamp = String(Math.floor(Date.now() / 1000));
  v.metadata = META_METADATA;
  v.contacts = customers.map((c) => ({ ...contact, wa_id: waId(c) }));
  v.messages = customers.map((c) => {
    const n = wamids++;
    return { ...message, from: waId(c), id: `wamid.write-path-${n}`, timestamp, text: { body: `Nachricht ${n}` } };
  });
  return toDelivery(p);
}

/** User + system CPU milliseconds of a process, or null where /proc does not show it. */
function cpuMs(pid: number): number | null {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return null;
  const fields = readFileSync(file, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) / 100) * 1000;
}

await prepareTemplateDatabase();
const t = await createTestDatabase();
const pool = createPgPool(t.url, { max: 1 });
try {
  const team = await t.db.team.create({ data: { name: "Support" } });
  await t.db.channel.create({
    data: { type: "whatsapp", name: "Bench", externalId: META_METADATA.phone_number_id, defaultTeamId: team.id },
  });
  await pool.query("SET synchronous_commit = off");
  const { rows } = await pool.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
  const backend = rows[0]!.pid;
  const deps = { db: t.db, pool, channels: new ChannelDirectory(), keywords: new ConsentKeywordCache() };
  const store = async (customers: number[]) => {
    const result = await applyWhatsAppDelivery(deps, deliveryFrom(customers));
    if (result.path !== "fast" || result.createdMessageIds.length !== customers.length)
      throw new Error(`expected ${customers.length} messages stored on the fast path`);
  };
  // The customers' contacts and conversations, then a warm-up of the batch sizes measured.
  for (let start = 0; start < CUSTOMERS; start += 50)
    await store(Array.from({ length: Math.min(50, CUSTOMERS - start) }, (_, k) => start + k));
  const randomCustomers = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * CUSTOMERS));
  for (const b of BATCHES) for (let i = 0; i < 20; i++) await store(randomCustomers(b));

  console.log(`${CUSTOMERS} known customers, ${MESSAGES} messages per batch size, one connection`);
  console.log("| messages per call | calls | wall µs per call | wall µs per message | Postgres CPU µs per message |");
  console.log("|---|---|---|---|---|");
  for (const b of BATCHES) {
    const calls = Math.max(1, Math.round(MESSAGES / b));
    const cpuBefore = cpuMs(backend);
    const started = performance.now();
    for (let i = 0; i < calls; i++) await store(randomCustomers(b));
    const wallUs = (performance.now() - started) * 1000;
    const cpuAfter = cpuMs(backend);
    const cpu =
      cpuBefore === null || cpuAfter === null ? "n/a" : (((cpuAfter - cpuBefore) * 1000) / (calls * b)).toFixed(0);
    console.log(`| ${b} | ${calls} | ${(wallUs / calls).toFixed(0)} | ${(wallUs / (calls * b)).toFixed(0)} | ${cpu} |`);
  }
} finally {
  await pool.end();
  await t.drop();
}
process.exit(0);
