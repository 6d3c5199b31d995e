/* eslint-disable @typescript-eslint/no-explicit-any -- tests edit Meta's raw JSON examples */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inbox } from "../run-inbox.test-helpers";
import { applyWhatsAppDelivery, ChannelDirectory, reprocessQuarantinedDeliveries } from "@inbox/core";
import { createTestDatabase, type TestDatabase } from "@inbox/db/testing";
import * as fx from "@inbox/whatsapp/fixtures";

describe("pnpm inbox webhooks reprocess", () => {
  let t: TestDatabase;
  const wamid = "wamid.reprocess-cli-1";
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it("applies a delivery quarantined for an unknown number once the channel exists, and only once", async () => {
    const p = structuredClone(fx.TEXT_MESSAGE_WEBHOOK) as any;
    p.entry[0].changes[0].value.messages[0].id = wamid;
    const kept = await applyWhatsAppDelivery({ db: t.db, channels: new ChannelDirectory(0) }, fx.toDelivery(p));
    expect(kept.counts).toMatchObject({ messages: 0, quarantined: 1 });
    const [row] = await t.db.webhookEvent.findMany({ where: { quarantineReason: "unknown_channel" } });
    expect(row!.handledAt).toBeNull();

    // Nothing to tie it to yet: it stays quarantined (handled, and quarantined again with its receipt time).
    const early = inbox(["webhooks", "reprocess"], { DATABASE_URL: t.url });
    expect(early.code, early.err).toBe(0);
    expect(early.out).toMatch(/Reprocessed 1 quarantined part\(s\): 0 applied, 1 still quarantined, 0 failed/);
    const again = await t.db.webhookEvent.findFirstOrThrow({
      where: { quarantineReason: "unknown_channel", handledAt: null },
    });
    expect(again.receivedAt).toEqual(row!.receivedAt);

    await t.db.channel.create({ data: { type: "whatsapp", name: "WA", externalId: fx.META_METADATA.phone_number_id } });
    expect(await reprocessQuarantinedDeliveries({ db: t.db }, { since: new Date("2999-01-01") })).toMatchObject({
      reprocessed: 0,
    });
    const run = inbox(["webhooks", "reprocess", "--since", row!.receivedAt.toISOString()], { DATABASE_URL: t.url });
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/Reprocessed 1 quarantined part\(s\).*: 1 applied, 0 still quarantined, 0 failed/);
    const message = await t.db.message.findFirstOrThrow({ where: { externalId: wamid } });
    expect(message).toMatchObject({ direction: "inbound", type: "text", text: "Does it come in another color?" });
    expect(await t.db.webhookEvent.count({ where: { quarantineReason: { not: null }, handledAt: null } })).toBe(0);

    expect(await reprocessQuarantinedDeliveries({ db: t.db })).toMatchObject({ reprocessed: 0 });
    expect(await t.db.message.count({ where: { externalId: wamid } })).toBe(1);
  }, 120_000);

  it("refuses a --since that is not a date, in one line", { timeout: 60_000 }, () => {
    const r = inbox(["webhooks", "reprocess", "--since", "yesterday"], { DATABASE_URL: t.url });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--since must be an ISO date or time/);
  });
});
