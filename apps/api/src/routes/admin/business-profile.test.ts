import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUSINESS_PROFILE_LIMITS, BUSINESS_VERTICALS } from "@inbox/contracts";
import { createLogger } from "@inbox/logger";
import * as wire from "@inbox/whatsapp";
import { NO_RECEIVER, startTestSimulator, type TestSimulator } from "@inbox/simulator/testing";
import { createTestApp, login, makeUser, type Agent, type TestApp } from "../../test/test-app";

/** Issue 16: admins edit the WhatsApp business profile through the Graph API (here: the simulator on loopback). */
describe("admin business profile against the simulator", () => {
  let sim: TestSimulator;
  let t: TestApp;
  let admin: Agent;
  let channelId: string;
  beforeAll(async () => {
    sim = await startTestSimulator(NO_RECEIVER, { log: createLogger({ name: "sim", level: "silent", pretty: false }) });
    t = await createTestApp({}, sim.productEnv);
    await makeUser(t, "admin@example.com", "admin");
    await makeUser(t, "agent@example.com", "agent");
    admin = await login(t, "admin@example.com");
    channelId = (
      await t.deps.db.channel.create({
        data: { type: "whatsapp", name: "WhatsApp", externalId: sim.productEnv.WHATSAPP_PHONE_NUMBER_ID! },
      })
    ).id;
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  const url = (id = channelId) => `/api/admin/channels/${id}/business-profile`;
  const put = (payload: object, headers = admin.headers) =>
    t.app.inject({ method: "PUT", url: url(), headers, payload });

  it("reads the profile from Meta and changes the fields named; the audit log names fields, not values", async () => {
    const before = await t.app.inject({ method: "GET", url: url(), headers: admin.headers });
    expect(before.statusCode).toBe(200);
    expect(before.json()).toEqual({
      about: "Hey there! I am using WhatsApp.",
      address: "",
      description: "",
      email: "",
      websites: [],
      vertical: "UNDEFINED",
      hasPhoto: false,
    });
    const changed = await put({
      about: "Antwort werktags in einer Stunde",
      description: "Fahrräder und Service",
      address: "Markt 1, 04109 Leipzig",
      email: "service@example.com",
      websites: ["https://example.com", "https://example.com/shop"],
      vertical: "RETAIL",
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ about: "Antwort werktags in einer Stunde", vertical: "RETAIL" });
    expect(sim.sim.businessProfile).toMatchObject({
      about: "Antwort werktags in einer Stunde",
      address: "Markt 1, 04109 Leipzig",
      websites: ["https://example.com", "https://example.com/shop"],
    });
    const audit = await t.deps.db.auditLog.findFirstOrThrow({ where: { action: "channel.business_profile_updated" } });
    expect(JSON.stringify(audit.data)).not.toContain("Leipzig");
    expect(audit.data).toMatchObject({ fields: expect.arrayContaining(["about", "address"]) });
  });

  it("refuses what breaks Meta's limits with 400 before asking Meta", async () => {
    // The console's limits (contracts) are the wire's (Meta's).
    expect(BUSINESS_PROFILE_LIMITS).toMatchObject(wire.BUSINESS_PROFILE_LIMITS);
    expect(BUSINESS_PROFILE_LIMITS.photoBytes).toBe(wire.PROFILE_PHOTO_MAX_BYTES);
    expect(BUSINESS_VERTICALS).toEqual(wire.BUSINESS_VERTICALS);
    for (const body of [
      { about: "x".repeat(140) },
      { about: "" },
      { description: "x".repeat(513) },
      { websites: ["https://a.example", "https://b.example", "https://c.example"] },
      { websites: ["example.com"] },
      { email: "no address" },
      { vertical: "BICYCLES" },
    ]) {
      const res = await put(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json()).toMatchObject({ code: "validation_failed" });
    }
    expect(sim.sim.businessProfile.about).toBe("Antwort werktags in einer Stunde");
  });

  it("answers 503 unavailable when WhatsApp fails, 404 for a channel that is not WhatsApp, 403 for agents", async () => {
    await fetch(`${sim.url}/_control/force`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ http: 500, count: 1 }),
    });
    const failed = await t.app.inject({ method: "GET", url: url(), headers: admin.headers });
    expect(failed.statusCode).toBe(503);
    expect(failed.json()).toMatchObject({ code: "unavailable" });
    const webchat = await t.deps.db.channel.create({ data: { type: "webchat", name: "Chat", externalId: "wc-1" } });
    expect((await t.app.inject({ method: "GET", url: url(webchat.id), headers: admin.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ method: "GET", url: url("nope"), headers: admin.headers })).statusCode).toBe(404);
    const agent = await login(t, "agent@example.com");
    expect((await put({ about: "Hallo" }, agent.headers)).statusCode).toBe(403);
  });

  it("uploads a profile photo through Resumable Upload; refuses what is no JPEG or PNG", async () => {
    const png = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");
    const form = (bytes: Buffer, name: string, type: string) => {
      const boundary = "----inbox-test";
      const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`;
      return {
        payload: Buffer.concat([Buffer.from(head), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
        headers: { ...admin.headers, "content-type": `multipart/form-data; boundary=${boundary}` },
      };
    };
    const ok = await t.app.inject({ method: "POST", url: `${url()}/photo`, ...form(png, "logo.png", "image/png") });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ hasPhoto: true });
    expect(sim.sim.businessProfile.photo?.bytes).toEqual(png);
    const html = await t.app.inject({
      method: "POST",
      url: `${url()}/photo`,
      ...form(Buffer.from("<html><script>alert(1)</script>"), "logo.png", "image/png"),
    });
    expect(html.statusCode).toBe(415);
    expect(html.json()).toMatchObject({ code: "unsupported_media_type" });
  });
});
