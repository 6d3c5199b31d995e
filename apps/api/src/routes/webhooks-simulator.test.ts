/* eslint-disable @typescript-eslint/no-explicit-any -- tests edit Meta's raw JSON examples */
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "@inbox/config";
import { createTestDatabase, createTestRedisPrefix, TEST_REDIS_URL, type TestDatabase } from "@inbox/db/testing";
import { createRedis, JobQueues } from "@inbox/jobs";
import { createLogger } from "@inbox/logger";
import { NO_RECEIVER, startTestSimulator, type TestSimulator } from "@inbox/simulator/testing";
import * as fx from "@inbox/whatsapp/fixtures";
import { buildApp } from "../app";
import type { App } from "../types";

/** The simulator produces the shapes the receiver must keep (Meta's 2026 system messages, unchecked values). */
describe("simulator → POST /webhooks/whatsapp", () => {
  let t: TestDatabase;
  let app: App;
  let sim: TestSimulator;
  const redis = createRedis(TEST_REDIS_URL);
  const log = createLogger({ name: "test", level: "silent", pretty: false });
  const control = (path: string, body: unknown) =>
    fetch(`${sim.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    t = await createTestDatabase();
    sim = await startTestSimulator(NO_RECEIVER, { log });
    app = await buildApp({
      env: parseEnv({ DATABASE_URL: t.url, LOG_LEVEL: "silent", ...sim.productEnv }),
      db: t.db,
      pgPool: t.pgPool,
      redis,
      queues: new JobQueues(redis, createTestRedisPrefix()),
      log,
      clock: () => new Date(),
      consoleDir: null,
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const port = (app.server.address() as AddressInfo).port;
    await control("/_control/config", { webhookUrl: `http://127.0.0.1:${port}/webhooks/whatsapp` });
    await t.db.channel.create({
      data: { type: "whatsapp", name: "WA", externalId: sim.productEnv.WHATSAPP_PHONE_NUMBER_ID! },
    });
  });
  afterAll(async () => {
    await sim.close();
    await app.close();
    redis.disconnect();
    await t.drop();
  });

  it("a BSUID change without `from` moves the contact and shows a system line", async () => {
    const customer = { username: "erika.m", isBsuidOnly: true, name: "Erika" };
    const hello = (await (
      await control("/_customer/messages", { ...customer, type: "text", text: "Hallo" })
    ).json()) as any;
    const previous = hello.customer.userId as string;
    const changed = (await (
      await control("/_customer/system", { customer: hello.customer.id, newUserId: "DE.2222222222222222222" })
    ).json()) as { wamid: string };
    const line = await t.db.message.findFirstOrThrow({ where: { externalId: changed.wamid } });
    expect((line.payload as any).from).toBeUndefined();
    expect(line).toMatchObject({ type: "system" });
    const contact = await t.db.contact.findFirstOrThrow({ where: { userId: "DE.2222222222222222222" } });
    expect(await t.db.contact.count({ where: { userId: previous } })).toBe(0);
    const first = await t.db.message.findFirstOrThrow({ where: { externalId: hello.wamid } });
    expect(first.conversationId).toBe(line.conversationId);
    expect((await t.db.conversation.findUniqueOrThrow({ where: { id: line.conversationId } })).contactId).toBe(
      contact.id,
    );
  });

  it("values sent as given: a message without body next to value-level errors, and a future type", async () => {
    for (const fixture of [fx.VALUE_ERRORS_WITH_MESSAGE_WEBHOOK, fx.FUTURE_TYPE_MESSAGE_WEBHOOK]) {
      const value = structuredClone((fixture as any).entry[0].changes[0].value);
      delete value.metadata;
      const res = await (await control("/_control/raw-webhook", { value })).json();
      expect(res).toEqual({ delivered: true });
      const stored = await t.db.message.findFirstOrThrow({ where: { externalId: value.messages[0].id } });
      expect(stored.type).toBe("unsupported");
    }
  });
});
