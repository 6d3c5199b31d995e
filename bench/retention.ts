/**
 * Retention and export on a fresh migrated database (the machine's Postgres, media on local disk):
 *  1. COUNT messages in resolved conversations (10 messages each) past a 30-day policy, deleted by runRetention
 *     in batches of 1,000 — wall-clock time and messages/s;
 *  2. an Art. 15 export request for one contact with 10,000 messages and 100 media files (100 KiB each) — time
 *     until the zip is stored and the request is done.
 * No concurrent webhook load is applied here.
 *   pnpm --filter @inbox/bench retention            (COUNT=200000)
 *   cd bench && npx tsx retention.ts 1000000
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { createDataSubjectRequest, LocalDiskMediaStore, runRetention } from "@inbox/core";
import { newMediaKey } from "@inbox/core/testing";
import { createTestDatabase } from "@inbox/db/testing";
import { createLogger } from "@inbox/logger";

const COUNT = Number(process.argv[2] ?? 200_000);
const PER_CONVERSATION = 10;
const log = createLogger({ name: "bench", level: "warn", pretty: false });

async function main() {
  const t = await createTestDatabase();
  const dir = await mkdtemp(path.join(tmpdir(), "bench-retention-"));
  const media = new LocalDiskMediaStore(dir);
  try {
    const db = t.db;
    const channel = await db.channel.create({ data: { type: "whatsapp", name: "WA", externalId: "100000000000077" } });
    const conversations = Math.ceil(COUNT / PER_CONVERSATION);
    const seedStart = Date.now();
    // Contacts and resolved conversations 40 days ago, then their messages, all in SQL.
    await db.$executeRawUnsafe(`
      INSERT INTO "Contact" (id, "channelId", "waId", "createdAt", "updatedAt", "lastSeenAt")
      SELECT gen_random_uuid(), '${channel.id}', '4915' || lpad(g::text, 9, '0'), now() - interval '400 days', now(), now()
        FROM generate_series(1, ${conversations}) g`);
    await db.$executeRawUnsafe(`
      INSERT INTO "Conversation" (id, "channelId", "contactId", status, "resolvedAt", "lastMessageAt", "createdAt", "updatedAt")
      SELECT gen_random_uuid(), k."channelId", k.id, 'resolved', now() - interval '40 days', now() - interval '41 days',
             now() - interval '45 days', now()
        FROM "Contact" k WHERE k."channelId" = '${channel.id}'`);
    await db.$executeRawUnsafe(`
      INSERT INTO "Message" (id, "conversationId", "channelId", direction, type, text, status, "createdAt", "updatedAt")
      SELECT gen_random_uuid(), c.id, c."channelId", 'inbound', 'text', 'Nachricht ' || g, 'received',
             now() - interval '42 days', now()
        FROM "Conversation" c CROSS JOIN generate_series(1, ${PER_CONVERSATION}) g`);
    await db.$executeRawUnsafe(`ANALYZE`);
    const seeded = await db.message.count();
    console.log(
      `seeded ${seeded} messages in ${conversations} conversations in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`,
    );

    await db.retentionPolicy.create({ data: { category: "messages", retentionDays: 30 } });
    const started = performance.now();
    const report = await runRetention({ db, media, log, clock: () => new Date() }, { dryRun: false });
    const seconds = (performance.now() - started) / 1000;
    const line = report.lines.find((l) => l.category === "messages" && l.policyId !== null)!;
    console.log(
      `retention: deleted ${line.deleted} messages and ${line.conversations} conversations in ${seconds.toFixed(1)} s ` +
        `(${Math.round(line.deleted / seconds)} messages/s); left: ${await db.message.count()}`,
    );

    // Export: one contact, 10,000 messages, 100 media files.
    const contact = await db.contact.create({ data: { channelId: channel.id, waId: "4917099990000" } });
    const conv = await db.conversation.create({
      data: { channelId: channel.id, contactId: contact.id, activeContactId: contact.id },
    });
    await db.$executeRawUnsafe(`
      INSERT INTO "Message" (id, "conversationId", "channelId", direction, type, text, status, "createdAt", "updatedAt")
      SELECT gen_random_uuid(), '${conv.id}', '${channel.id}', 'inbound', 'text', 'Export-Nachricht ' || g, 'received',
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
        data: { channelId: channel.id, messageId: m.id, mimeType: "image/jpeg", storageKey: key, status: "stored" },
      });
    }
    const exportStart = performance.now();
    // The whole request as an admin makes it: the zip built and stored in the media store, the request done.
    const request = await createDataSubjectRequest(
      { db, media },
      { type: "system" },
      { contactId: contact.id, type: "export" },
    );
    const exportSeconds = (performance.now() - exportStart) / 1000;
    console.log(`export: ${request.status}, ${JSON.stringify(request.report)} in ${exportSeconds.toFixed(2)} s`);
  } finally {
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
