import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerWhatsAppNumber, provisionWhatsAppChannel } from "@inbox/core";
import { createTestDatabase, type TestDatabase } from "@inbox/db/testing";
import { createLogger } from "@inbox/logger";
import { startSimulator, type RunningSimulator } from "@inbox/simulator";
import { GraphClient } from "@inbox/whatsapp";

/** Data residency set-up against the simulator, which enforces Meta's rule: storage changes only while unregistered. */
describe("registerWhatsAppNumber", () => {
  let t: TestDatabase;
  let simulator: RunningSimulator;
  let graph: GraphClient;
  const phoneNumberId = "100000000000077";

  beforeAll(async () => {
    t = await createTestDatabase();
    simulator = await startSimulator({
      port: 0,
      accessToken: "token",
      appSecret: "secret",
      webhookUrl: "http://127.0.0.1:1/webhooks/whatsapp",
      phoneNumberId,
      wabaId: "200000000000077",
      displayNumber: "+49 30 7654321",
      log: createLogger({ name: "sim", level: "silent", pretty: false }),
    });
    graph = new GraphClient({ baseUrl: `${simulator.url}/v25.0`, accessToken: "token" });
    await provisionWhatsAppChannel(t.db, { phoneNumberId, dataRegion: "DE" });
  });
  afterAll(async () => {
    await simulator.close();
    await t.drop();
  });

  it("refuses to change storage on a registered number, with the fix in the message", async () => {
    await expect(
      registerWhatsAppNumber({ db: t.db, graph }, { phoneNumberId, pin: "123456", region: "DE" }, { type: "system" }),
    ).rejects.toThrow(/only be changed while the number is unregistered: deregister it first/);
  });

  it("enables local storage in DE and registers an unregistered number; again is idempotent", async () => {
    const config = await fetch(`${simulator.url}/_control/config`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ isRegistered: false }),
    });
    expect(config.ok).toBe(true);
    const first = await registerWhatsAppNumber(
      { db: t.db, graph },
      { phoneNumberId, pin: "123456", region: "de" },
      { type: "system" },
    );
    expect(first).toEqual({ storageChanged: true, region: "DE" });
    expect((await graph.getSettings(phoneNumberId)).storage_configuration).toMatchObject({
      status: "IN_COUNTRY_STORAGE_ENABLED",
      data_localization_region: "DE",
    });
    const second = await registerWhatsAppNumber(
      { db: t.db, graph },
      { phoneNumberId, pin: "123456", region: "DE" },
      { type: "system" },
    );
    expect(second.storageChanged).toBe(false);
    expect(await t.db.auditLog.count({ where: { action: "channel.registered" } })).toBe(2);
  });

  it("rejects a PIN that is not 6 digits before calling Meta", async () => {
    await expect(
      registerWhatsAppNumber({ db: t.db, graph }, { phoneNumberId, pin: "12", region: "DE" }, { type: "system" }),
    ).rejects.toMatchObject({ code: "validation_failed" });
  });
});
