/**
 * The trigram index's pending list (docs/performance.md, "Inbound", the pending-list runs): inserts COUNT customer
 * messages into `Message`, one statement each as a quiet receiver does, on a fresh migrated database — once with the
 * indexes as the migrations leave them and once with Postgres's default `gin_pending_list_limit` (4 MB) — and prints
 * the statements' total time and their latency: p50, p99, p99.9, max, the statements over 10 ms and how far apart they came. The insert that
 * finds a GIN index's pending list over its limit merges the whole list before its statement ends; in the receiver
 * that statement is a group-committed transaction every delivery of the batch (and the queue behind it) waits for.
 * The two settings take turns ROUNDS times.
 *
 *   pnpm --filter @inbox/bench trigram-pending        (COUNT=40000 ROUNDS=2; LIMITS_KB=1024,256 adds those limits)
 */
import pg from "pg";
import { createTestDatabase, prepareTemplateDatabase } from "@inbox/db/testing";
import { percentile } from "./api-clients";

const COUNT = Number(process.env.COUNT ?? 40_000);
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const SLOW_MS = 10;
const TRIGRAM_INDEXES = ["Message_text_trgm_idx", "Contact_displayName_trgm_idx", "Contact_profileName_trgm_idx"];

const EXTRA_LIMITS_KB = (process.env.LIMITS_KB ?? "").split(",").filter(Boolean).map(Number);

/** "migrated", "postgres default", or a limit in kB set on the three indexes. */
async function run(setting: string | number): Promise<string> {
  const t = await createTestDatabase();
  const client = new pg.Client({ connectionString: t.url });
  await client.connect();
  try {
    for (const index of TRIGRAM_INDEXES) {
      if (setting === "postgres default") await client.query(`ALTER INDEX "${index}" RESET (gin_pending_list_limit)`);
      if (typeof setting === "number") {
        await client.query(`ALTER INDEX "${index}" SET (gin_pending_list_limit = ${setting})`);
      }
    }
    const { rows: options } = await client.query<{ reloptions: string[] | null }>(
      `SELECT reloptions FROM pg_class WHERE relname = 'Message_text_trgm_idx'`,
    );
    const channel = await t.db.channel.create({ data: { type: "whatsapp", name: "WA", externalId: "1" } });
    const contact = await t.db.contact.create({ data: { channelId: channel.id, waId: "491701234567" } });
    const conversation = await t.db.conversation.create({
      data: { channelId: channel.id, contactId: contact.id, activeContactId: contact.id },
    });
    const latencies: number[] = [];
    const slow: number[] = [];
    for (let i = 0; i < COUNT; i++) {
      const started = performance.now();
      await client.query(
        `INSERT INTO "Message" (id, "conversationId", "channelId", direction, type, text, "externalId", status, "updatedAt")
         VALUES (gen_random_uuid(), $1, $2, 'inbound', 'text', $3, $4, 'received', now())`,
        [
          conversation.id,
          channel.id,
          `Hallo, ich habe eine Frage zu Bestellung ${(i * 7919) % 1_000_003}`,
          `wamid.${i}`,
        ],
      );
      const ms = performance.now() - started;
      latencies.push(ms);
      if (ms > SLOW_MS) slow.push(i);
    }
    const totalSeconds = latencies.reduce((sum, ms) => sum + ms, 0) / 1000;
    latencies.sort((a, b) => a - b);
    const gaps = slow
      .slice(1)
      .map((at, k) => at - slow[k]!)
      .sort((a, b) => a - b);
    const f = (ms: number) => ms.toFixed(1);
    return [
      String(setting).padEnd(16),
      (options[0]?.reloptions ?? ["(none)"]).join(",").padEnd(28),
      totalSeconds.toFixed(1),
      f(percentile(latencies, 50)),
      f(percentile(latencies, 99)),
      f(percentile(latencies, 99.9)),
      f(latencies.at(-1)!),
      String(slow.length),
      gaps.length ? `every ~${Math.round(percentile(gaps, 50))} inserts` : "—",
    ].join(" | ");
  } finally {
    await client.end();
    await t.drop();
  }
}

await prepareTemplateDatabase();
console.log(`${COUNT} inserts per run, one statement each, ${ROUNDS} rounds`);
console.log(
  `| indexes | options | total s | p50 ms | p99 ms | p99.9 ms | max ms | over ${SLOW_MS} ms | spacing of those |`,
);
for (let round = 1; round <= ROUNDS; round++) {
  for (const setting of ["migrated", "postgres default", ...EXTRA_LIMITS_KB]) console.log(`| ${await run(setting)} |`);
}
process.exit(0);
