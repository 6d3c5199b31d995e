/**
 * POST /api/admin/channels/:id/resume: api → core resumeChannel → outbox → BullMQ → worker → simulator (loopback).
 * As in messages.test.ts, `app.authenticate` is a stand-in that reads the user from a test header; sessions and
 * CSRF are the auth plugin's business (tested there).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { parseEnv } from "@inbox/config";
import { queueOutboundMessage } from "@inbox/core";
import { createTestDatabase, createTestRedisPrefix, TEST_REDIS_URL, type TestDatabase } from "@inbox/db/testing";
import { createRedis, drainOutbox, JobQueues } from "@inbox/jobs";
import { createLogger } from "@inbox/logger";
import { startWorker, type RunningWorker } from "@inbox/worker";
import { NO_RECEIVER, startTestSimulator, type TestSimulator } from "@inbox/simulator/testing";
import { queueDepsFor } from "@inbox/core/testing";
import { createApiServices } from "../../services";
import { asUser, createRouteTestApp } from "../../test/route-app";
import type { ApiDeps, App } from "../../types";
import { adminChannelRoutes } from "./channels";

const PHONE_NUMBER_ID = "100000000000001";
const log = createLogger({ name: "test", level: process.env.TEST_LOG ?? "silent", pretty: false });

describe("POST /api/admin/channels/:id/resume", () => {
  let t: TestDatabase;
  let app: App;
  let sim: TestSimulator;
  let worker: RunningWorker;
  let deps: ApiDeps;
  const redis = createRedis(TEST_REDIS_URL);
  const queues = new JobQueues(redis, createTestRedisPrefix());
  let channelId: string;
  const admin = { id: randomUUID(), role: "admin" as const, teamIds: [] as string[] };
  const lead = { id: randomUUID(), role: "lead" as const, teamIds: [] as string[] };

  beforeAll(async () => {
    t = await createTestDatabase();
    sim = await startTestSimulator(NO_RECEIVER, {
      phoneNumberId: PHONE_NUMBER_ID,
      webhookMaxAttempts: 1,
      isAutoRead: false,
      log,
    });
    const env = parseEnv({ LOG_LEVEL: "silent", ...sim.productEnv });
    const infra = { env, db: t.db, pgPool: t.pgPool, redis, queues, log, clock: () => new Date(), consoleDir: null };
    deps = { ...infra, ...(await createApiServices(infra)) };
    app = createRouteTestApp(log);
    await app.register(adminChannelRoutes(deps));
    await app.ready();
    for (const u of [admin, lead]) {
      await t.db.user.create({
        data: { id: u.id, email: `${u.role}@example.test`, name: u.role, passwordHash: "x", role: u.role },
      });
    }
    channelId = (
      await t.db.channel.create({ data: { type: "whatsapp", name: "WhatsApp", externalId: PHONE_NUMBER_ID } })
    ).id;
    worker = await startWorker(infra, { scheduleTemplateSync: false, sweepEveryMs: 0 });
  });
  afterAll(async () => {
    await worker.close();
    await app.close();
    await deps.close();
    await sim.close();
    await queues.close();
    redis.disconnect();
    await t.drop();
  });

  const resume = (id: string, user: object | null) =>
    app.inject({ method: "POST", url: `/api/admin/channels/${id}/resume`, headers: asUser(user) });

  it("admins only: 401 without a user, 403 for a lead, 404 for an unknown channel", async () => {
    expect((await resume(channelId, null)).statusCode).toBe(401);
    expect((await resume(channelId, lead)).statusCode).toBe(403);
    const unknown = await resume(randomUUID(), admin);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: "not_found" });
    // A value that cannot be an id is not found either, as on every other route.
    const malformed = await resume("not-a-channel-id", admin);
    expect(malformed.statusCode).toBe(404);
    expect(malformed.json()).toMatchObject({ code: "not_found" });
  });

  it("un-pauses the channel, audits it, and the messages that waited go out", async () => {
    await t.db.channel.update({
      where: { id: channelId },
      data: { status: "paused", statusReason: "190: token expired" },
    });
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const contact = await t.db.contact.create({ data: { channelId, waId: `49151999000${i}` } });
      const conversation = await t.db.conversation.create({
        data: { channelId, contactId: contact.id, activeContactId: contact.id, lastInboundAt: new Date() },
      });
      const { message } = await queueOutboundMessage(queueDepsFor(t.db), {
        conversationId: conversation.id,
        body: { type: "text", text: "Hallo", clientId: `r${i}` },
      });
      ids.push(message.id);
    }
    // While paused the jobs run and leave the messages queued (nothing burns).
    await drainOutbox(t.db, queues, log);
    await expect
      .poll(async () => (await queues.queues.outbound.getJobCounts("completed")).completed, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(2);
    expect(await t.db.message.count({ where: { id: { in: ids }, status: "queued" } })).toBe(2);
    const before = sim.sim.outbound.size;

    const response = await resume(channelId, admin);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ channelId, status: "active", requeued: 2 });
    expect(await t.db.channel.findUniqueOrThrow({ where: { id: channelId } })).toMatchObject({
      status: "active",
      statusReason: null,
    });
    expect(await t.db.auditLog.findFirst({ where: { action: "channel.resumed", entityId: channelId } })).toMatchObject({
      actorId: admin.id,
    });

    await drainOutbox(t.db, queues, log);
    await expect
      .poll(() => t.db.message.count({ where: { id: { in: ids }, status: "sent" } }), {
        timeout: 15_000,
        interval: 100,
      })
      .toBe(2);
    expect(sim.sim.outbound.size).toBe(before + 2);
  });
});
