/* eslint-disable @typescript-eslint/no-unsafe-return -- tests edit Meta's raw JSON examples */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma, pgSql, type RunSql } from "@inbox/db";
import { createTestDatabase, nestedPlansOf, type TestDatabase } from "@inbox/db/testing";
import * as fx from "@inbox/whatsapp/fixtures";
import { applyWhatsAppDelivery } from "./apply-whatsapp-delivery";
import { ChannelDirectory } from "./channel-directory";
import { applyStatusReports } from "./apply-status-events";
import { findKnownExternalIds } from "./key-lookups";
import { describeMessageElement, type InboundElement } from "./describe-message-element";
import { storeMessages } from "./store-messages";
import { stuckMessagesSql, sweepStuckMessages } from "../outbound/sweep-stuck-messages";

// A campaign on a fresh install: thousands of rows and no statistics yet. The receiver's key lookups must stay
// index probes (not a scan of the channel's rows), and must find exactly the stored keys.
let t: TestDatabase;
let channelId: string;
const CUSTOMERS = 1_500;
const waId = (i: number) => `4917${String(i).padStart(9, "0")}`;

beforeAll(async () => {
  t = await createTestDatabase();
  // No autovacuum on this database's tables: the plans below must not depend on it having run.
  for (const table of ["Message", "Contact", "Conversation", "MessageStatusEvent"])
    await t.pgPool.query(`ALTER TABLE "${table}" SET (autovacuum_enabled = false)`);
  const team = await t.db.team.create({ data: { name: "Support" } });
  const channel = await t.db.channel.create({
    data: { type: "whatsapp", name: "WA", externalId: fx.META_METADATA.phone_number_id, defaultTeamId: team.id },
  });
  channelId = channel.id;
  const channels = new ChannelDirectory(0);
  for (let start = 0; start < CUSTOMERS; start += 100) {
    const p = JSON.parse(JSON.stringify(fx.TEXT_MESSAGE_WEBHOOK));
    const v = p.entry[0].changes[0].value;
    const [contact, message] = [v.contacts[0], v.messages[0]];
    v.metadata = fx.META_METADATA;
    v.contacts = Array.from({ length: 100 }, (_, k) => ({ ...contact, wa_id: waId(start + k) }));
    v.messages = Array.from({ length: 100 }, (_, k) => ({
      ...message,
      from: waId(start + k),
      id: `wamid.lookup-${start + k}`,
    }));
    await applyWhatsAppDelivery({ db: t.db, channels, pool: t.pgPool }, fx.toDelivery(p));
  }
  // Outbound messages with a status report each, as after a campaign: the status path's lookups must stay probes too.
  const [conversation] = await t.db.conversation.findMany({ take: 1 });
  await t.pgPool.query(
    `INSERT INTO "Message" (id, "conversationId", "channelId", direction, type, text, "externalId", status, "updatedAt")
     SELECT gen_random_uuid(), $1, $2, 'outbound', 'text', 'hi', 'wamid.out-' || i, 'sent', now() FROM generate_series(0, $3 - 1) i`,
    [conversation!.id, channelId, CUSTOMERS],
  );
  await t.pgPool.query(
    `INSERT INTO "MessageStatusEvent" (id, "channelId", "externalId", status, "occurredAt")
     SELECT gen_random_uuid(), $1, 'wamid.out-' || i, 'delivered', now() FROM generate_series(0, $2 - 1) i`,
    [channelId, CUSTOMERS],
  );
}, 180_000);
afterAll(async () => {
  await t.drop();
});

/**
 * Runs each statement under EXPLAIN ANALYZE and keeps the plan text, then runs it for real (the EXPLAIN's own
 * writes are rolled back to a savepoint first); everything is rolled back at the end.
 */
async function planOf(fn: (run: RunSql) => Promise<unknown>): Promise<string> {
  const client = await t.pgPool.connect();
  const plans: string[] = [];
  try {
    await client.query("BEGIN");
    const run = pgSql(client);
    await fn(async <T>(query: Prisma.Sql) => {
      await client.query("SAVEPOINT explained");
      const explained = await run<{ "QUERY PLAN": string }>(Prisma.sql`EXPLAIN (ANALYZE, COSTS OFF) ${query}`);
      await client.query("ROLLBACK TO SAVEPOINT explained");
      plans.push(explained.map((r) => r["QUERY PLAN"]).join("\n"));
      return run<T>(query);
    });
  } finally {
    await client.query("ROLLBACK");
    client.release();
  }
  return plans.join("\n");
}

describe("receiver key lookups without table statistics", () => {
  it("finds known wamids by one index probe each", async () => {
    const ids = ["wamid.lookup-7", "wamid.lookup-1499", "wamid.unknown-1", "wamid.lookup-7"];
    let found = new Set<string>();
    const plan = await planOf(async (run) => {
      found = await findKnownExternalIds(run, channelId, ids);
    });
    expect(found).toEqual(new Set(["wamid.lookup-7", "wamid.lookup-1499"]));
    expect(plan).toMatch(/Index (Only )?Scan using "Message_channelId_externalId_key"/);
    expect(plan).toMatch(/Index Cond: .*"externalId" = w\.id/);
    expect(plan).not.toMatch(/Rows Removed by Filter|Seq Scan|Bitmap Heap Scan/);
  });

  it("stores phone senders' messages with the one write path by index probes only, in every call of a session", async () => {
    // auto_explain reports the plan of every statement inside the function. The function plans each statement once
    // per session (generic plans, sequential scans priced out; see migration …_store_messages_cached_plans): the
    // first call's plans are every later call's, and seven calls show that none of them changes.
    const plan = await nestedPlansOf(t.pgPool, async (client) => {
      const channel = {
        id: channelId,
        externalId: fx.META_METADATA.phone_number_id,
        defaultTeamId: null,
        type: "whatsapp" as const,
      };
      const message = (n: number, from: string, id = `wamid.plan-${n}`): InboundElement => {
        const described = describeMessageElement({
          from,
          id,
          timestamp: "1750000000",
          type: "text",
          text: { body: `plan ${n}` },
        });
        if (!described.ok) throw new Error(described.reason);
        return described.element;
      };
      for (let call = 0; call < 7; call++) {
        // Known customers (conversation updated, profile changed), one new customer, and a redelivered wamid.
        const known = [waId(call * 3), waId(call * 3 + 700)];
        const senders = [...known, `4930${String(call).padStart(8, "0")}`].map((w, k) => ({
          identity: { waId: w, profileName: `Plan ${call}` },
          elements: [message(call * 10 + k, w)],
        }));
        senders[0]!.elements.push(message(0, senders[0]!.identity.waId, "wamid.lookup-1"));
        const r = await storeMessages(pgSql(client), channel, { phoneSenders: senders });
        expect(r.created).toHaveLength(3);
        expect(r.duplicates).toBe(1);
      }
    });
    // Known wamids and the newest conversation are probes; contacts and active conversations are found by the
    // upserts' arbiter indexes (no scan node at all).
    expect(plan).toMatch(/Index (Only )?Scan using "Message_channelId_externalId_key"/);
    expect(plan).toMatch(/Index Scan using "Conversation_contactId_createdAt_idx"/);
    expect(plan).toMatch(/Conflict Arbiter Indexes: Contact_channelId_waId_key/);
    expect(plan).toMatch(/Conflict Arbiter Indexes: Conversation_activeContactId_key/);
    expect(plan).not.toMatch(/Seq Scan on "(Message|Contact|Conversation)"|Bitmap Heap Scan/);
    // Filters only ever drop rows of the call's own few inputs, never rows of a table read by a partial key.
    const removed = [...plan.matchAll(/Rows Removed by Filter: (\d+)/g)].map((m) => Number(m[1]));
    expect(Math.max(0, ...removed)).toBeLessThan(10);
  });

  it("stores and applies status reports by one index probe per wamid", async () => {
    let result = { recorded: 0, updatedMessageIds: [] as string[] };
    const report = (wamid: string, status: "delivered" | "read") => ({
      externalId: wamid,
      status,
      occurredAt: new Date(),
      recipientId: null,
      errors: null,
      pricing: null,
      callbackMessageId: null,
    });
    const plan = await planOf(async (run) => {
      result = await applyStatusReports(run, channelId, [
        report("wamid.out-5", "read"),
        report("wamid.out-1200", "read"),
        report("wamid.unknown-2", "delivered"),
      ]);
    });
    expect(result.recorded).toBe(3);
    expect(result.updatedMessageIds).toHaveLength(2);
    expect(plan).toMatch(/Index Scan using "MessageStatusEvent_channelId_externalId_status_key"/);
    expect(plan).toMatch(/Index Scan using "Message_channelId_externalId_key"/);
    expect(plan).not.toMatch(/Seq Scan on "(Message|MessageStatusEvent)"/);
    // A bitmap scan only by primary key (the ids of the messages to update), never by a partial key.
    for (const [, index] of plan.matchAll(/Bitmap Index Scan on "([^"]+)"/g)) expect(index).toMatch(/_pkey$/);
    const removed = [...plan.matchAll(/Rows Removed by Filter: (\d+)/g)].map((m) => Number(m[1]));
    expect(Math.max(0, ...removed)).toBeLessThan(10);
  });
});

describe("indexes a customer's message does not touch", () => {
  const indexSize = async (name: string) =>
    Number(
      (await t.pgPool.query<{ size: string }>(`SELECT pg_relation_size($1::regclass) AS size`, [`"${name}"`])).rows[0]!
        .size,
    );

  it("keeps received and sent messages, open and unqueued conversations out of the partial indexes", async () => {
    // 1,500 conversations and 3,000 messages were stored above. A full index would hold an entry per row (over 50 kB
    // for 1,500 rows); the partial ones hold nothing: their metapage and at most an empty root page.
    for (const name of [
      "Message_status_statusAt_idx",
      "Conversation_teamId_queuedAt_idx",
      "Conversation_resolvedAt_id_idx",
    ])
      expect(await indexSize(name), name).toBeLessThanOrEqual(2 * 8192);
    const { rows } = await t.pgPool.query<{ name: string }>(
      `SELECT indexname AS name FROM pg_indexes WHERE tablename = 'Conversation' AND indexdef LIKE '%"lastMessageAt"%'`,
    );
    expect(rows.map((r) => r.name).sort()).toEqual([
      "Conversation_assigneeId_status_lastMessageAt_idx",
      "Conversation_channelId_status_lastMessageAt_idx",
      "Conversation_status_lastMessageAt_idx",
      "Conversation_teamId_status_lastMessageAt_idx",
    ]);
  });

  it("still finds the messages waiting to be sent along the partial status index", async () => {
    const [conversation] = await t.db.conversation.findMany({ take: 1 });
    const stuck = await t.pgPool.query<{ id: string }>(
      `INSERT INTO "Message" (id, "conversationId", "channelId", direction, type, text, status, "statusAt", "updatedAt")
       SELECT gen_random_uuid(), $1, $2, 'outbound', 'text', 'stuck', s::"MessageStatus", now() - interval '1 hour', now()
         FROM unnest(ARRAY['queued', 'sending']) s RETURNING id`,
      [conversation!.id, channelId],
    );
    // The sweep's own statement reads the partial index, never the whole table.
    const plan = await planOf((run) => run(stuckMessagesSql(new Date(), new Date(), 500)));
    expect(plan).toMatch(/(Index Scan using|Bitmap Index Scan on) "Message_status_statusAt_idx"/);
    expect(plan).not.toMatch(/Seq Scan on "Message"/);
    const swept = await sweepStuckMessages({
      db: t.db,
      withLiveJob: () => Promise.resolve(new Set<string>()),
      onOutboxWritten: () => {},
      clock: () => new Date(),
    });
    expect(new Set(swept.requeued)).toEqual(new Set(stuck.rows.map((r) => r.id)));
  });
});
