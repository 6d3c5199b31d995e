import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "@inbox/config";
import { signPayload } from "@inbox/whatsapp";
import * as fx from "@inbox/whatsapp/fixtures";
import { createTestApp, type TestApp } from "../test/test-app";

const TOKEN = "metrics-token-0123456789";
const APP_SECRET = "metrics-app-secret";
let t: TestApp;
let plain: TestApp;

beforeAll(async () => {
  t = await createTestApp({
    env: parseEnv({ LOG_LEVEL: "silent", METRICS_TOKEN: TOKEN, WHATSAPP_APP_SECRET: APP_SECRET }),
  });
  // The env above has the default DATABASE_URL; the app itself runs on the test database through db and pgPool.
  await t.t.db.channel.create({
    data: { type: "whatsapp", name: "WA", externalId: fx.META_METADATA.phone_number_id },
  });
  plain = await createTestApp();
});
afterAll(async () => {
  await t.close();
  await plain.close();
});

const scrape = (app: TestApp, authorization?: string) =>
  app.app.inject({ method: "GET", url: "/metrics", headers: authorization ? { authorization } : {} });

describe("/metrics", () => {
  it("does not exist without METRICS_TOKEN, and refuses a wrong or missing token", async () => {
    expect((await scrape(plain, `Bearer ${TOKEN}`)).statusCode).toBe(404);
    expect((await scrape(t)).statusCode).toBe(401);
    expect((await scrape(t, `Bearer ${TOKEN.slice(0, -1)}x`)).statusCode).toBe(401);
    expect((await scrape(t, TOKEN)).statusCode).toBe(401);
  });

  it("counts webhook deliveries by outcome with their ack latency, and requests by route pattern only", async () => {
    const body = JSON.stringify(fx.TEXT_MESSAGE_WEBHOOK);
    const post = (signature: string) =>
      t.app.inject({
        method: "POST",
        url: "/webhooks/whatsapp",
        payload: body,
        headers: { "content-type": "application/json", "x-hub-signature-256": signature },
      });
    expect((await post(signPayload(body, APP_SECRET))).statusCode).toBe(200);
    expect((await post("sha256=00")).statusCode).toBe(401);
    await t.app.inject({
      method: "GET",
      url: "/api/conversations/4f1c0a52-5a4e-4f43-9a55-0e1d8b1c2d3e/messages?q=4917012345",
    });

    const res = await scrape(t, `Bearer ${TOKEN}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain/);
    expect(res.body).toContain('inbox_webhook_deliveries_total{outcome="stored",role="api"} 1');
    expect(res.body).toContain('inbox_webhook_deliveries_total{outcome="bad_signature",role="api"} 1');
    expect(res.body).toMatch(
      /inbox_webhook_ack_seconds_count\{(role="api",outcome="stored"|outcome="stored",role="api")\} 1/,
    );
    expect(res.body).toContain('route="/api/conversations/:id/messages"');
    // Labels never carry ids, numbers or search terms from URLs.
    expect(res.body).not.toContain("4f1c0a52");
    expect(res.body).not.toContain("4917012345");
    expect(res.body).toContain("inbox_websocket_connections");
  });

  it("gauges the webhook parts waiting in quarantine, counted from the database at each scrape", async () => {
    const gauge = async () =>
      Number(/^inbox_webhook_quarantined\{role="api"\} (\d+)$/m.exec((await scrape(t, `Bearer ${TOKEN}`)).body)?.[1]);
    const before = await gauge();
    expect(before).toBe(0);
    const body = JSON.stringify(fx.VALUE_ERRORS_WEBHOOK);
    const res = await t.app.inject({
      method: "POST",
      url: "/webhooks/whatsapp",
      payload: body,
      headers: { "content-type": "application/json", "x-hub-signature-256": signPayload(body, APP_SECRET) },
    });
    expect(res.statusCode).toBe(200);
    expect(await gauge()).toBe(1);
    await t.t.db.webhookEvent.updateMany({
      where: { quarantineReason: { not: null } },
      data: { handledAt: new Date() },
    });
    expect(await gauge()).toBe(0);
  });
});
