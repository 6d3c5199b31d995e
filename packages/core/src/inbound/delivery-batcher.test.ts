/* eslint-disable @typescript-eslint/no-explicit-any -- tests edit Meta's raw JSON examples */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@inbox/db/testing";
import type { WebhookDelivery } from "@inbox/whatsapp";
import * as fx from "@inbox/whatsapp/fixtures";
import { ChannelDirectory } from "./channel-directory";
import { createDb, createPgPool } from "@inbox/db";
import { createDeliveryBatcher, mergeDeliveries } from "./delivery-batcher";

let t: TestDatabase;
const channels = new ChannelDirectory(60_000);

function delivery(i: number, phoneNumberId = fx.META_METADATA.phone_number_id): WebhookDelivery {
  const p = JSON.parse(JSON.stringify(fx.TEXT_MESSAGE_WEBHOOK));
  const v = p.entry[0].changes[0].value;
  v.metadata = { ...v.metadata, phone_number_id: phoneNumberId };
  v.messages[0].id = `wamid.batch-${i}`;
  v.messages[0].from = `4916${i % 7}`;
  v.contacts[0].wa_id = `4916${i % 7}`;
  return fx.toDelivery(p);
}

beforeAll(async () => {
  t = await createTestDatabase();
  await t.db.channel.create({ data: { type: "whatsapp", name: "WA", externalId: fx.META_METADATA.phone_number_id } });
  // A channel id that does not exist: deliveries for it fail on the foreign key (a delivery that cannot commit).
  (channels as any).cache.set("broken", {
    channel: {
      id: "00000000-0000-4000-8000-000000000000",
      externalId: "broken",
      defaultTeamId: null,
      type: "whatsapp",
    },
    until: Date.now() + 60_000,
  });
});
afterAll(async () => {
  await t.drop();
});

describe("createDeliveryBatcher (group commit)", () => {
  it("commits concurrent deliveries, stores each message once, and keeps a delivery that cannot be applied in quarantine", async () => {
    const batcher = createDeliveryBatcher({ db: t.db, channels }, { maxConcurrent: 1, maxBatch: 50 });
    const payloads = Array.from({ length: 40 }, (_, i) => delivery(i));
    payloads.push(delivery(3)); // a duplicate of a delivery in the same batch
    const settled = await Promise.allSettled([
      ...payloads.map((p) => batcher.submit(p)),
      batcher.submit(delivery(99, "broken")),
    ]);
    expect(settled.every((s) => s.status === "fulfilled")).toBe(true);
    // The failing delivery is stored whole, for admins and `pnpm inbox webhooks reprocess`, and answered like the rest.
    expect((settled[41] as PromiseFulfilledResult<{ counts: { quarantined: number } }>).value.counts.quarantined).toBe(
      1,
    );
    const kept = await t.db.webhookEvent.findMany({ where: { quarantineReason: "apply_failed" } });
    expect(kept).toHaveLength(1);
    expect(JSON.stringify(kept[0]!.payload)).toContain("wamid.batch-99");
    expect(await t.db.message.count()).toBe(40);
    expect(await t.db.conversation.count()).toBe(7);
    const unread = await t.db.conversation.aggregate({ _sum: { unreadCount: true } });
    expect(unread._sum.unreadCount).toBe(40);
  });

  it("rejects a delivery (the api answers 500, Meta delivers again) when it cannot even be quarantined", async () => {
    const unreachable = createDb("postgresql://postgres@127.0.0.1:1/nowhere");
    const batcher = createDeliveryBatcher({ db: unreachable, channels: new ChannelDirectory(0) });
    await expect(batcher.submit(delivery(100))).rejects.toThrow();
    await unreachable.$disconnect();
  });

  it("stores customer messages and status reports that meet in one batch as two autocommitted statements, not one transaction", async () => {
    // A transaction would hold the conversations' rows across round trips while the api's loop is busy elsewhere.
    const pool = createPgPool(t.url, { max: 2 });
    const statements: string[] = [];
    pool.on("connect", (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as any).query = (...args: unknown[]) => {
        const first = args[0] as string | { text: string };
        statements.push(typeof first === "string" ? first : first.text);
        return query(...args);
      };
    });
    const batcher = createDeliveryBatcher({ db: t.db, channels, pool }, { maxConcurrent: 1 });
    const status = JSON.parse(JSON.stringify(fx.STATUS_SENT_WEBHOOK));
    status.entry[0].changes[0].value.statuses[0].id = "wamid.batch-status-1";
    const messagesBefore = await t.db.message.count();
    // The first delivery runs alone; the next two arrive while it is in flight and go into one batch together.
    const results = await Promise.all([
      batcher.submit(delivery(200)),
      batcher.submit(delivery(201)),
      batcher.submit(fx.toDelivery(status)),
    ]);
    expect(statements.filter((q) => q.includes("inbox_store_messages"))).toHaveLength(2);
    expect(statements.filter((q) => /^\s*BEGIN/i.test(q))).toEqual([]);
    expect(await t.db.message.count()).toBe(messagesBefore + 2);
    expect(results[2].counts.statuses).toBe(1);
    await pool.end();
  });

  it("merges messages values of one phone number into one value; a value with errors stays apart", () => {
    const merged = mergeDeliveries([
      delivery(1),
      delivery(2),
      fx.toDelivery(fx.USER_PREFERENCES_STOP_WEBHOOK),
      fx.toDelivery(fx.VALUE_ERRORS_WITH_MESSAGE_WEBHOOK),
    ]);
    expect(merged.changes.map((c) => c.field)).toEqual(["messages", "user_preferences", "messages"]);
    expect((merged.changes[0]!.value as any).messages).toHaveLength(2);
    expect((merged.changes[2]!.value as any).errors).toHaveLength(1);
  });
});
