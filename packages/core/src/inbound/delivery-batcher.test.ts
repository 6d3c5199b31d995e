/* eslint-disable @typescript-eslint/no-explicit-any -- tests edit Meta's raw JSON examples */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@inbox/db/testing";
import { parseWebhookPayload, type WebhookPayload } from "@inbox/whatsapp";
import * as fx from "@inbox/whatsapp/fixtures";
import { ChannelDirectory } from "./channel-directory";
import { createDeliveryBatcher, mergePayloads } from "./delivery-batcher";

let t: TestDatabase;
const channels = new ChannelDirectory(60_000);

function delivery(i: number, phoneNumberId = fx.META_METADATA.phone_number_id): WebhookPayload {
  const p = JSON.parse(JSON.stringify(fx.TEXT_MESSAGE_WEBHOOK));
  const v = p.entry[0].changes[0].value;
  v.metadata = { ...v.metadata, phone_number_id: phoneNumberId };
  v.messages[0].id = `wamid.batch-${i}`;
  v.messages[0].from = `4916${i % 7}`;
  v.contacts[0].wa_id = `4916${i % 7}`;
  const r = parseWebhookPayload(p);
  if (!r.ok) throw new Error(r.issues.join());
  return r.payload;
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
  it("commits concurrent deliveries, stores each message once, and isolates a failing delivery", async () => {
    const batcher = createDeliveryBatcher({ db: t.db, channels }, { maxConcurrent: 1, maxBatch: 50 });
    const payloads = Array.from({ length: 40 }, (_, i) => delivery(i));
    payloads.push(delivery(3)); // a duplicate of a delivery in the same batch
    const settled = await Promise.allSettled([
      ...payloads.map((p) => batcher.submit(p)),
      batcher.submit(delivery(99, "broken")),
    ]);
    expect(settled.slice(0, 41).every((s) => s.status === "fulfilled")).toBe(true);
    expect(settled[41]!.status).toBe("rejected");
    expect(await t.db.message.count()).toBe(40);
    expect(await t.db.conversation.count()).toBe(7);
    const unread = await t.db.conversation.aggregate({ _sum: { unreadCount: true } });
    expect(unread._sum.unreadCount).toBe(40);
  });

  it("merges messages values of one phone number into one value", () => {
    const merged = mergePayloads([delivery(1), delivery(2), fx.USER_PREFERENCES_STOP_WEBHOOK as any]);
    expect(merged.entry).toHaveLength(2);
    expect((merged.entry[0]!.changes[0]!.value as any).messages).toHaveLength(2);
  });
});
