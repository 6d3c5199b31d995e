/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- tests edit Meta's raw JSON examples */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PgPool } from "@inbox/db";
import { createTestDatabase, type TestDatabase } from "@inbox/db/testing";
import * as fx from "@inbox/whatsapp/fixtures";
import { JOB_SCHEMAS } from "@inbox/jobs";
import { ConsentKeywordCache } from "../consent/consent-keywords";
import { toMessageDto } from "../messages/to-message-dto";
import { applyWhatsAppDelivery } from "./apply-whatsapp-delivery";
import { ChannelDirectory } from "./channel-directory";
import { mergeDeliveries } from "./delivery-batcher";
import { planFastPath } from "./fast-path";
import { prepareDelivery } from "./prepare-delivery";
import { ROUTE_JOB } from "./store-messages";

// What only the fast path does: which deliveries it takes, one transaction for statuses and messages together,
// and the rows it hands over for live events. The behaviours it shares with the full path are in write-path.test.ts.
let t: TestDatabase;
let pool: PgPool;
let teamId: string;
let channelId = "";
let seq = 0;

const parse = fx.toDelivery;
const channels = new ChannelDirectory(0);
const apply = (v: unknown) => applyWhatsAppDelivery({ db: t.db, channels, pool }, parse(v));
const text = (body: string, opts: { from: string; id?: string }) => {
  const p = structuredClone(fx.TEXT_MESSAGE_WEBHOOK) as any;
  const v = p.entry[0].changes[0].value;
  v.contacts[0].wa_id = opts.from;
  v.messages[0].from = opts.from;
  v.messages[0].id = opts.id ?? `wamid.fast-${++seq}`;
  v.messages[0].text.body = body;
  return p;
};
const statusOf = (wamid: string, status: string, timestamp = 1_763_900_000) =>
  fx.envelope({
    messaging_product: "whatsapp",
    metadata: fx.META_METADATA,
    statuses: [{ id: wamid, status, timestamp: String(timestamp), recipient_id: "491710000009" }],
  });

beforeAll(async () => {
  t = await createTestDatabase();
  pool = t.pgPool;
  teamId = (await t.db.team.create({ data: { name: "Support" } })).id;
  channelId = (
    await t.db.channel.create({
      data: { type: "whatsapp", name: "WA", externalId: fx.META_METADATA.phone_number_id, defaultTeamId: teamId },
    })
  ).id;
});
afterAll(async () => {
  await t.drop();
});

describe("the fast path", () => {
  it("takes statuses and phone-only senders' messages (also unsupported ones); the rest goes the full path", async () => {
    const kw = new ConsentKeywordCache(0);
    const plan = async (v: unknown) => planFastPath(t.db, kw, await prepareDelivery(t.db, channels, parse(v)));
    expect(await plan(text("hello", { from: "491710000000" }))).not.toBeNull();
    expect(await plan(statusOf("wamid.plan-1", "delivered"))).not.toBeNull();
    expect(
      await plan(
        fx.envelope(
          mergeDeliveries([parse(text("hi", { from: "491710000000" })), parse(statusOf("wamid.plan-2", "read"))])
            .changes[0]!.value,
        ),
      ),
    ).not.toBeNull();
    expect(await plan(fx.UNSUPPORTED_MESSAGE_WEBHOOK)).not.toBeNull();
    expect(await plan(fx.VALUE_ERRORS_WITH_MESSAGE_WEBHOOK)).not.toBeNull();
    expect(await plan(fx.FUTURE_TYPE_MESSAGE_WEBHOOK)).not.toBeNull();
    // Consent keywords, media, BSUID, identity events, quarantine and other fields need the full path.
    expect(await plan(text("STOP", { from: "491710000000" }))).toBeNull();
    expect(await plan(fx.IMAGE_MESSAGE_WEBHOOK)).toBeNull();
    expect(await plan(fx.USER_CHANGED_NUMBER_WEBHOOK)).toBeNull();
    expect(await plan(fx.USER_CHANGED_USER_ID_WEBHOOK)).toBeNull();
    expect(await plan(fx.BSUID_TEXT_MESSAGE_WEBHOOK)).toBeNull();
    expect(await plan(fx.VALUE_ERRORS_WEBHOOK)).toBeNull();
    expect(await plan(fx.USER_PREFERENCES_STOP_WEBHOOK)).toBeNull();
    expect(await plan(fx.envelope({ event: "FLAGGED" }, "account_update"))).toBeNull();
    expect(
      await plan(fx.envelope({ messaging_product: "whatsapp", metadata: fx.META_METADATA, statuses: [] })),
    ).toBeNull();
  });

  it("applies status reports alone and together with messages in one transaction; a failure stores neither", async () => {
    const conv = (await apply(text("wer schreibt?", { from: "491710000009" }))).conversationIds[0]!;
    const out = await t.db.message.create({
      data: {
        conversationId: conv,
        channelId,
        direction: "outbound",
        type: "text",
        text: "Antwort",
        status: "sent",
        externalId: "wamid.fast-out-1",
      },
    });
    const r1 = await apply(statusOf("wamid.fast-out-1", "delivered", 1_763_900_100));
    expect(r1).toMatchObject({ path: "fast", updatedMessageIds: [out.id] });
    expect((await t.db.message.findUniqueOrThrow({ where: { id: out.id } })).status).toBe("delivered");
    expect((await apply(statusOf("wamid.fast-out-1", "delivered", 1_763_900_100))).counts.statuses).toBe(0);
    const merged = mergeDeliveries([
      parse(statusOf("wamid.fast-out-1", "read", 1_763_900_200)),
      parse(text("gelesen?", { from: "491710000009" })),
    ]);
    const r2 = await applyWhatsAppDelivery({ db: t.db, channels, pool }, merged);
    expect(r2.counts).toMatchObject({ messages: 1, statuses: 1 });
    expect((await t.db.message.findUniqueOrThrow({ where: { id: out.id } })).status).toBe("read");

    const broken = mergeDeliveries([
      parse(statusOf("wamid.fast-out-1", "failed", 1_763_900_300)),
      parse(text("x", { from: "491710000009", id: "wamid.fast-rollback" })),
    ]);
    // The status statement fails after the messages were stored in the same transaction: both roll back.
    const failing = {
      ...pool,
      query: pool.query.bind(pool),
      connect: async () => {
        const client = await pool.connect();
        const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
        (client as unknown as { query: unknown }).query = (sql: unknown, ...rest: unknown[]) =>
          typeof sql === "string" && sql.includes("MessageStatusEvent") && !sql.includes("inbox_store")
            ? Promise.reject(Object.assign(new Error("statement failed"), { code: "XX000" }))
            : query(sql, ...rest);
        return client;
      },
    } as unknown as PgPool;
    await expect(applyWhatsAppDelivery({ db: t.db, channels, pool: failing }, broken)).rejects.toThrow(
      "statement failed",
    );
    expect(await t.db.message.count({ where: { externalId: "wamid.fast-rollback" } })).toBe(0);
    expect((await t.db.message.findUniqueOrThrow({ where: { id: out.id } })).status).toBe("read");
  });

  it("the routing job the database function writes is the job the worker expects", async () => {
    const r = await apply(text("route me", { from: "491710000007" }));
    const row = await t.db.outboxJob.findUniqueOrThrow({ where: { jobId: `${ROUTE_JOB}-${r.conversationIds[0]}` } });
    expect(row.name).toBe(ROUTE_JOB);
    expect(JOB_SCHEMAS[ROUTE_JOB].parse(row.payload)).toEqual({ conversationIds: [r.conversationIds[0]] });
    expect(r.outboxWritten).toBe(true);
  });

  it("hands over the stored rows for live events, equal to what a read gives", async () => {
    for (const payload of [text("live row", { from: "491710000008" }), fx.FUTURE_TYPE_MESSAGE_WEBHOOK]) {
      const r = await apply(payload);
      expect(r.storedMessages).toHaveLength(1);
      const { row, teamId: rowTeam, assigneeId } = r.storedMessages[0]!;
      expect({ teamId: rowTeam, assigneeId }).toEqual({ teamId, assigneeId: null });
      const stored = await t.db.message.findUniqueOrThrow({ where: { id: row.id } });
      expect(toMessageDto(row)).toEqual(toMessageDto(stored));
    }
  });
});
