import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDb, type Db } from "@inbox/db";
import { createTestDatabase, type TestDatabase } from "@inbox/db/testing";
import { createLogger } from "@inbox/logger";
import S3rver from "s3rver";
import { createMediaStore } from "../media/create-media-store";
import { LocalDiskMediaStore, newMediaKey, type MediaStore } from "../media/media-store";
import { DAY_MS } from "./retention-rules";
import { placeLegalHold } from "./legal-holds";
import { saveRetentionPolicies } from "./save-retention-policies";
import { runRetention, type RetentionReport } from "./run-retention";

const log = createLogger({ name: "test", level: "silent", pretty: false });
const admin = { type: "system" } as const;
const now = new Date();
const daysAgo = (d: number) => new Date(now.getTime() - d * DAY_MS);

let t: TestDatabase;
let dir: string;
let media: LocalDiskMediaStore;
let n = 0;

beforeAll(async () => {
  t = await createTestDatabase();
  dir = await mkdtemp(path.join(tmpdir(), "retention-"));
  media = new LocalDiskMediaStore(dir);
});
afterAll(async () => {
  await t.drop();
  await rm(dir, { recursive: true, force: true });
});

async function channel(name: string, type: "whatsapp" | "webchat" = "whatsapp") {
  return t.db.channel.create({ data: { type, name, externalId: `10000000${++n}` } });
}

/** A contact with one conversation (resolved `resolvedDaysAgo` ago, or open) holding two messages and a media file. */
async function conversation(
  channelId: string,
  resolvedDaysAgo: number | null,
  opts: { labelId?: string; store?: MediaStore; visitor?: boolean; lastSeenDaysAgo?: number } = {},
) {
  const i = ++n;
  const identity = opts.visitor ? { externalId: `visitor-${i}` } : { waId: `4917000${String(i).padStart(5, "0")}` };
  const contact = await t.db.contact.create({
    data: { channelId, ...identity, createdAt: daysAgo(1000), lastSeenAt: daysAgo(opts.lastSeenDaysAgo ?? 500) },
  });
  const conv = await t.db.conversation.create({
    data: {
      channelId,
      contactId: contact.id,
      activeContactId: resolvedDaysAgo === null ? contact.id : null,
      status: resolvedDaysAgo === null ? "open" : "resolved",
      resolvedAt: resolvedDaysAgo === null ? null : daysAgo(resolvedDaysAgo),
      lastMessageAt: daysAgo((resolvedDaysAgo ?? 0) + 1),
      createdAt: daysAgo(1000),
      ...(opts.labelId ? { labels: { create: { labelId: opts.labelId } } } : {}),
    },
  });
  const messages = [];
  for (const text of [`secret text ${i}`, `another text ${i}`]) {
    messages.push(
      await t.db.message.create({
        data: {
          conversationId: conv.id,
          channelId,
          direction: "inbound",
          type: "text",
          text,
          status: "received",
          createdAt: daysAgo((resolvedDaysAgo ?? 0) + 2),
        },
      }),
    );
  }
  const key = newMediaKey();
  await (opts.store ?? media).put(key, Buffer.from(`file ${i}`));
  await t.db.mediaAsset.create({
    data: { channelId, messageId: messages[0]!.id, mimeType: "image/jpeg", storageKey: key, status: "stored" },
  });
  return { contact, conv, key };
}

const exists = async (id: string) => (await t.db.conversation.count({ where: { id } })) === 1;
const line = (r: RetentionReport, category: string, policyId: string | null) =>
  r.lines.find((l) => l.category === category && l.policyId === policyId);

describe("runRetention", () => {
  it("deletes exactly what the policies say, skips and reports what is under legal hold, records it in the audit log", async () => {
    const a = await channel("A");
    const b = await channel("B");
    const label = await t.db.label.create({ data: { name: "Rechnung" } });
    await saveRetentionPolicies(t.db, admin, {
      policies: [
        { category: "messages", days: 30 },
        { category: "messages", days: 90, channelId: b.id },
        { category: "messages", days: 400, labelId: label.id },
        { category: "media", days: 365 },
        { category: "contacts", days: 100 },
      ],
    });
    const old = await conversation(a.id, 40); // general policy: due
    const recent = await conversation(a.id, 10); // not yet
    const bRecent = await conversation(b.id, 40); // channel B keeps 90 days
    const bOld = await conversation(b.id, 100); // due under channel B's policy
    const labelled = await conversation(a.id, 40, { labelId: label.id }); // the label's 400 days win
    const heldConv = await conversation(a.id, 40);
    const heldContact = await conversation(a.id, 40);
    const open = await conversation(a.id, null); // open: never deleted by the messages policy
    await placeLegalHold(t.db, admin, { conversationId: heldConv.conv.id, reason: "Steuerprüfung 2026" });
    await placeLegalHold(t.db, admin, { contactId: heldContact.contact.id, reason: "Rechtsstreit" });
    // Contacts: one without any conversation for long (due), one also under hold.
    const lonely = await t.db.contact.create({
      data: { channelId: a.id, waId: "4917099999991", createdAt: daysAgo(300), lastSeenAt: daysAgo(300) },
    });
    const lonelyHeld = await t.db.contact.create({
      data: { channelId: a.id, waId: "4917099999992", createdAt: daysAgo(300), lastSeenAt: daysAgo(300) },
    });
    await placeLegalHold(t.db, admin, { contactId: lonelyHeld.id, reason: "Aufbewahrung" });
    // Plain tables.
    const oldEvent = await t.db.webhookEvent.create({
      data: { field: "account_update", payload: { x: 1 }, receivedAt: daysAgo(40) },
    });
    const newEvent = await t.db.webhookEvent.create({ data: { field: "account_update", payload: { x: 2 } } });
    const user = await t.db.user.create({ data: { email: "r@example.de", name: "R", passwordHash: "x" } });
    const oldSession = await t.db.session.create({
      data: { userId: user.id, tokenHash: "a", csrfToken: "a", expiresAt: daysAgo(31) },
    });
    const liveSession = await t.db.session.create({
      data: { userId: user.id, tokenHash: "b", csrfToken: "b", expiresAt: daysAgo(-1) },
    });
    const sent = await t.db.outboxJob.create({
      data: { name: "message.send", payload: {}, jobId: "j1", dispatchedAt: daysAgo(8) },
    });
    const waiting = await t.db.outboxJob.create({
      data: { name: "message.send", payload: {}, jobId: "j2", createdAt: daysAgo(8) },
    });

    // A dry run counts and deletes nothing.
    const dry = await runRetention({ db: t.db, media, log }, { dryRun: true });
    expect(dry.skipped).toBe(false);
    const general = (
      await t.db.retentionPolicy.findFirstOrThrow({ where: { category: "messages", channelId: null, labelId: null } })
    ).id;
    const forB = (await t.db.retentionPolicy.findFirstOrThrow({ where: { category: "messages", channelId: b.id } })).id;
    expect(line(dry, "messages", general)).toMatchObject({ deleted: 2, conversations: 1, held: 2, mediaFiles: 1 });
    expect(line(dry, "messages", forB)).toMatchObject({ deleted: 2, conversations: 1, held: 0 });
    expect(await exists(old.conv.id)).toBe(true);
    expect(await media.exists(old.key)).toBe(true);
    expect(await t.db.webhookEvent.count()).toBe(2);

    const auditBefore = await t.db.auditLog.count({ where: { action: "retention.deleted" } });
    expect(auditBefore).toBe(0);
    const report = await runRetention({ db: t.db, media, log }, { dryRun: false });
    expect(line(report, "messages", general)).toMatchObject({ deleted: 2, conversations: 1, held: 2, mediaFiles: 1 });
    expect(line(report, "messages", forB)).toMatchObject({ deleted: 2, conversations: 1 });

    // Deleted: conversations past their policy, their messages, media rows and files.
    for (const gone of [old, bOld]) {
      expect(await exists(gone.conv.id)).toBe(false);
      expect(await t.db.message.count({ where: { conversationId: gone.conv.id } })).toBe(0);
      expect(await media.exists(gone.key)).toBe(false);
    }
    // Kept: everything else, including what is under hold and its files.
    for (const kept of [recent, bRecent, labelled, heldConv, heldContact, open]) {
      expect(await exists(kept.conv.id)).toBe(true);
      expect(await t.db.message.count({ where: { conversationId: kept.conv.id } })).toBe(2);
      expect(await media.exists(kept.key)).toBe(true);
    }
    // Contacts: the lonely one is gone (and the contacts of deleted conversations, which now have none), held stays.
    expect(await t.db.contact.count({ where: { id: lonely.id } })).toBe(0);
    expect(await t.db.contact.count({ where: { id: lonelyHeld.id } })).toBe(1);
    expect(await t.db.contact.count({ where: { id: heldContact.contact.id } })).toBe(1);
    const contactsLine = report.lines.find((l) => l.category === "contacts")!;
    expect(contactsLine.held).toBe(1);
    // Plain tables by age.
    expect(await t.db.webhookEvent.findMany({ select: { id: true } })).toEqual([{ id: newEvent.id }]);
    expect(await t.db.webhookEvent.count({ where: { id: oldEvent.id } })).toBe(0);
    expect((await t.db.session.findMany({ select: { id: true } })).map((s) => s.id)).toEqual([liveSession.id]);
    expect(await t.db.session.count({ where: { id: oldSession.id } })).toBe(0);
    expect((await t.db.outboxJob.findMany({ select: { id: true } })).map((o) => o.id)).toEqual([waiting.id]);
    expect(await t.db.outboxJob.count({ where: { id: sent.id } })).toBe(0);

    // The audit log names ids, counts and policies — never content.
    const entries = await t.db.auditLog.findMany({ where: { action: "retention.deleted" } });
    const all = JSON.stringify(entries.map((e) => e.data));
    expect(all).toContain(old.conv.id);
    expect(all).toContain(lonely.id);
    expect(all).not.toContain(heldConv.conv.id);
    expect(all).not.toMatch(/secret text|another text|4917000/);
    expect(entries.find((e) => e.entityType === "messages")?.data).toMatchObject({ policy: general, days: 30 });
    expect(await t.db.auditLog.count({ where: { action: "retention.run" } })).toBe(1);

    // A second run finds nothing more to do.
    const again = await runRetention({ db: t.db, media, log }, { dryRun: false });
    expect(again.lines.reduce((s, l) => s + l.deleted, 0)).toBe(0);
  });

  it("a conversation reopened by the customer is not deleted, and one run at a time", async () => {
    const a = await channel("C");
    await saveRetentionPolicies(t.db, admin, { policies: [{ category: "messages", days: 30 }] });
    const reopened = await conversation(a.id, 40);
    await t.db.conversation.update({
      where: { id: reopened.conv.id },
      data: { status: "open", resolvedAt: null, activeContactId: reopened.contact.id },
    });
    await runRetention({ db: t.db, media, log }, { dryRun: false });
    expect(await exists(reopened.conv.id)).toBe(true);

    const running = await t.db.retentionRun.create({ data: { isDryRun: false } });
    const skipped = await runRetention({ db: t.db, media, log }, { dryRun: false });
    expect(skipped).toMatchObject({ skipped: true, runId: null });
    await t.db.retentionRun.update({ where: { id: running.id }, data: { finishedAt: new Date() } });
  });

  it("covers web chat conversations, visitors and WhatsApp handoffs, and deletes files through an S3 store", async () => {
    const s3dir = await mkdtemp(path.join(tmpdir(), "retention-s3-"));
    const server = new S3rver({
      port: 0,
      address: "127.0.0.1",
      silent: true,
      directory: s3dir,
      configureBuckets: [{ name: "media", configs: [] }],
    });
    const { port } = await server.run();
    try {
      const s3 = createMediaStore({
        MEDIA_STORE: "s3",
        MEDIA_DIR: "unused",
        S3_ENDPOINT: `http://127.0.0.1:${port}`,
        S3_REGION: "eu-central-1",
        S3_BUCKET: "media",
        S3_ACCESS_KEY_ID: "S3RVER",
        S3_SECRET_ACCESS_KEY: "S3RVER",
        S3_FORCE_PATH_STYLE: true,
      });
      const web = await channel("Website", "webchat");
      const wa = await channel("WA-handoff");
      await saveRetentionPolicies(t.db, admin, {
        policies: [
          { category: "messages", days: 30 },
          { category: "contacts", days: 100 },
          { category: "sessions", days: 30 },
        ],
      });
      const oldChat = await conversation(web.id, 40, { store: s3, visitor: true }); // due, visitor too
      const recentChat = await conversation(web.id, 10, { store: s3, visitor: true }); // not yet
      // A WhatsApp conversation that came from a handoff: it goes, its customer (seen lately) and the handoff stay.
      const handedOver = await conversation(wa.id, 40, { store: s3, lastSeenDaysAgo: 5 });
      const handoff = (ref: string, data: Record<string, unknown>) =>
        t.db.whatsAppHandoff.create({
          data: {
            reference: ref,
            webchatChannelId: web.id,
            whatsappChannelId: wa.id,
            purposes: ["service"],
            wordingVersion: 1,
            wordingText: "Weiter auf WhatsApp",
            evidence: { ip: "203.0.113.9" },
            expiresAt: daysAgo(40),
            ...data,
          },
        });
      const linked = await handoff("WC-LINKED01", {
        webContactId: recentChat.contact.id,
        linkedAt: daysAgo(41),
        linkedContactId: handedOver.contact.id,
        linkedConversationId: handedOver.conv.id,
      });
      const ofOldVisitor = await handoff("WC-OLDVIS01", { webContactId: oldChat.contact.id });
      const unusedOld = await handoff("WC-UNUSED01", {});
      const unusedRecent = await handoff("WC-UNUSED02", { expiresAt: daysAgo(10) });

      const report = await runRetention({ db: t.db, media: s3, log }, { dryRun: false });
      expect(report.skipped).toBe(false);
      // The web chat conversation and its S3 file are gone, and so is its visitor (no conversation left).
      expect(await exists(oldChat.conv.id)).toBe(false);
      expect(await s3.exists(oldChat.key)).toBe(false);
      expect(await t.db.contact.count({ where: { id: oldChat.contact.id } })).toBe(0);
      expect(await exists(recentChat.conv.id)).toBe(true);
      expect(await s3.exists(recentChat.key)).toBe(true);
      expect(await exists(handedOver.conv.id)).toBe(false);
      expect(await s3.exists(handedOver.key)).toBe(false);
      // Handoffs: the old visitor's goes with them, the unused expired one by the sessions policy; the used one is
      // kept as consent evidence without its deleted conversation.
      const left = await t.db.whatsAppHandoff.findMany({ orderBy: { reference: "asc" } });
      expect(left.map((h) => h.reference)).toEqual(["WC-LINKED01", "WC-UNUSED02"]);
      expect(left[0]).toMatchObject({
        id: linked.id,
        linkedContactId: handedOver.contact.id,
        linkedConversationId: null,
        linkedMessageId: null,
      });
      expect(await t.db.whatsAppHandoff.count({ where: { id: { in: [ofOldVisitor.id, unusedOld.id] } } })).toBe(0);
      expect(left[1]!.id).toBe(unusedRecent.id);
    } finally {
      await server.close();
      await rm(s3dir, { recursive: true, force: true });
    }
  });

  it("pages through many expired conversations in bounded batches along indexes, skipping what is held or kept longer", async () => {
    // A database of its own where no plan may scan Message or Conversation sequentially (enable_seqscan off: the
    // planner still does where no index serves a statement, and pg_stat_user_tables counts it).
    const own = await createTestDatabase();
    let db: Db = own.db;
    try {
      await own.db.$executeRawUnsafe(`ALTER DATABASE "${own.name}" SET enable_seqscan = off`);
      await own.db.$disconnect();
      db = createDb(own.url, { max: 2 });
      const ch = await db.channel.create({ data: { type: "whatsapp", name: "Paged", externalId: "100000999" } });
      const label = await db.label.create({ data: { name: "Lang" } });
      await saveRetentionPolicies(db, admin, {
        policies: [
          { category: "messages", days: 30 },
          { category: "messages", days: 400, labelId: label.id },
        ],
      });
      // 1,200 conversations resolved 40 days ago with 3 messages each, written without reading either table.
      const ids = (
        await db.$queryRawUnsafe<{ id: string }[]>(`
          WITH k AS (
            INSERT INTO "Contact" (id, "channelId", "waId", "createdAt", "updatedAt", "lastSeenAt")
            SELECT gen_random_uuid(), '${ch.id}', '4918' || lpad(g::text, 9, '0'), now(), now(), now()
              FROM generate_series(1, 1200) g RETURNING id),
          c AS (
            INSERT INTO "Conversation" (id, "channelId", "contactId", status, "resolvedAt", "lastMessageAt", "updatedAt")
            SELECT gen_random_uuid(), '${ch.id}', k.id, 'resolved', now() - interval '40 days', now() - interval '41 days', now()
              FROM k RETURNING id),
          m AS (
            INSERT INTO "Message" (id, "conversationId", "channelId", direction, type, text, status, "updatedAt")
            SELECT gen_random_uuid(), c.id, '${ch.id}', 'inbound', 'text', 'paged ' || g, 'received', now()
              FROM c CROSS JOIN generate_series(1, 3) g)
          SELECT id FROM c ORDER BY id`)
      ).map((r) => r.id);
      // Past the first page: one held, one under the label's longer period.
      const held = ids[700]!;
      const labelled = ids[1100]!;
      await placeLegalHold(db, admin, { conversationId: held, reason: "Prüfung" });
      await db.conversationLabel.create({ data: { conversationId: labelled, labelId: label.id } });

      const report = await runRetention(
        {
          db,
          media,
          log,
          pacing: { initialBatch: 100, minBatch: 50, maxBatch: 200, pauseRatio: 0, minPauseMs: 0 },
        },
        { dryRun: false },
      );
      const general = report.lines.find((l) => l.category === "messages" && l.labelId === null);
      expect(general).toMatchObject({ deleted: 1198 * 3, conversations: 1198, held: 1 });
      expect(report.batches).toBeGreaterThanOrEqual(Math.ceil((1198 * 3) / 200));
      expect(
        (await db.conversation.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((c) => c.id),
      ).toEqual([held, labelled].sort());
      expect(await db.message.count()).toBe(6);
      // No giant transaction: every batch of messages at most the pacing's maximum.
      const batches = await db.auditLog.findMany({ where: { action: "retention.deleted", entityType: "messages" } });
      const sizes = batches.map((b) => b.data as { count: number; what: string });
      expect(sizes.filter((s) => s.what === "messages of conversations").every((s) => s.count <= 200)).toBe(true);
      expect(sizes.filter((s) => s.what === "conversations").every((s) => s.count <= 500)).toBe(true);

      // Every statement on Message and Conversation went along an index (the backends' statistics are flushed as
      // they end).
      await db.$disconnect();
      const reader = createDb(own.url, { max: 1 });
      try {
        const scans = async () =>
          Object.fromEntries(
            (
              await reader.$queryRawUnsafe<{ relname: string; seq_scan: bigint; idx_scan: bigint }[]>(
                `SELECT relname, seq_scan, idx_scan FROM pg_stat_user_tables WHERE relname IN ('Message', 'Conversation')`,
              )
            ).map((r) => [r.relname, { seq: Number(r.seq_scan), idx: Number(r.idx_scan) }]),
          );
        let counted = await scans();
        for (let i = 0; i < 50 && !(counted.Message?.idx && counted.Conversation?.idx); i++) {
          await new Promise((r) => setTimeout(r, 100));
          counted = await scans();
        }
        await new Promise((r) => setTimeout(r, 500));
        counted = await scans();
        expect(counted.Message!.idx).toBeGreaterThan(0);
        expect(counted).toMatchObject({ Message: { seq: 0 }, Conversation: { seq: 0 } });
      } finally {
        await reader.$disconnect();
      }
    } finally {
      await db.$disconnect();
      await own.drop();
    }
  });
});
