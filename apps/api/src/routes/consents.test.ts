import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "@inbox/config";
import { createTestDatabase, createTestRedisPrefix, TEST_REDIS_URL, type TestDatabase } from "@inbox/db/testing";
import { createRedis, JobQueues } from "@inbox/jobs";
import { createLogger } from "@inbox/logger";
import { createApiServices } from "../services";
import { asUser, createRouteTestApp } from "../test/route-app";
import type { ApiDeps, App } from "../types";
import { consentRoutes } from "./consents";
import { messageRoutes } from "./messages";

/** An agent's consent entry: recorded like every consent, audited, and what the send policy reads from then on. */
describe("POST /api/conversations/:id/consents", () => {
  let t: TestDatabase;
  let app: App;
  let deps: ApiDeps;
  const redis = createRedis(TEST_REDIS_URL);
  const log = createLogger({ name: "test", level: "silent", pretty: false });
  const agent = { id: randomUUID(), role: "agent" as const, teamIds: [] as string[] };
  const outsider = { id: randomUUID(), role: "agent" as const, teamIds: [] as string[] };
  let conversationId: string;
  let contactId: string;

  const post = (user: object | null, id: string, payload: unknown) =>
    app.inject({
      method: "POST",
      url: `/api/conversations/${id}/consents`,
      payload: payload as object,
      headers: asUser(user),
    });

  beforeAll(async () => {
    t = await createTestDatabase();
    const infra = {
      env: parseEnv({ DATABASE_URL: t.url, LOG_LEVEL: "silent" }),
      db: t.db,
      pgPool: t.pgPool,
      redis,
      queues: new JobQueues(redis, createTestRedisPrefix()),
      log,
      clock: () => new Date(),
      consoleDir: null,
    };
    deps = { ...infra, ...(await createApiServices(infra)) };
    app = createRouteTestApp(log);
    await app.register(consentRoutes(deps));
    await app.register(messageRoutes(deps));
    await app.ready();
    const team = await t.db.team.create({ data: { name: "Support" } });
    agent.teamIds = [team.id];
    outsider.teamIds = [(await t.db.team.create({ data: { name: "Sales" } })).id];
    for (const u of [agent, outsider]) {
      await t.db.user.create({ data: { id: u.id, email: `${u.id}@example.test`, name: "A", passwordHash: "x" } });
    }
    const channel = await t.db.channel.create({
      data: { type: "whatsapp", name: "WA", externalId: "100000000000011" },
    });
    const contact = await t.db.contact.create({ data: { channelId: channel.id, waId: "4915100000001" } });
    contactId = contact.id;
    conversationId = (
      await t.db.conversation.create({
        data: {
          channelId: channel.id,
          contactId: contact.id,
          activeContactId: contact.id,
          teamId: team.id,
          lastInboundAt: new Date(),
        },
      })
    ).id;
  });
  afterAll(async () => {
    await app.close();
    await deps.close();
    redis.disconnect();
    await t.drop();
  });

  it("records the consent for the conversation's contact with the agent and the reason, and audits it", async () => {
    const res = await post(agent, conversationId, {
      purpose: "marketing",
      status: "granted",
      reason: "Am Telefon zugestimmt (2. Dez.)",
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      purpose: "marketing",
      status: "granted",
      source: "agent",
      evidence: { reason: "Am Telefon zugestimmt (2. Dez.)", conversationId },
    });
    const stored = await t.db.consent.findFirstOrThrow({ where: { contactId, source: "agent" } });
    expect(stored.recordedById).toBe(agent.id);
    const audit = await t.db.auditLog.findFirstOrThrow({ where: { action: "consent.recorded" } });
    expect(audit).toMatchObject({ actorId: agent.id, entityType: "contact", entityId: contactId });
    expect(JSON.stringify(audit.data)).not.toContain("Telefon");
  });

  it("a withdrawal entered by an agent is what the send policy refuses by", async () => {
    const send = () =>
      app.inject({
        method: "POST",
        url: `/api/conversations/${conversationId}/messages`,
        payload: { type: "text", text: "Hallo", clientId: randomUUID() },
        headers: asUser(agent),
      });
    expect((await send()).statusCode).toBe(202);
    expect(
      (await post(agent, conversationId, { purpose: "service", status: "withdrawn", reason: "Per Brief widerrufen" }))
        .statusCode,
    ).toBe(201);
    const refused = await send();
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: "opted_out" });
  });

  it("refuses what an agent may not do or what is not a consent entry", async () => {
    const before = await t.db.consent.count();
    expect(
      (await post(outsider, conversationId, { purpose: "service", status: "granted", reason: "weil" })).statusCode,
    ).toBe(403);
    expect(
      (await post(null, conversationId, { purpose: "service", status: "granted", reason: "weil" })).statusCode,
    ).toBe(401);
    expect(
      (await post(agent, randomUUID(), { purpose: "service", status: "granted", reason: "weil" })).statusCode,
    ).toBe(404);
    expect(
      (await post(agent, "not-a-uuid", { purpose: "service", status: "granted", reason: "weil" })).statusCode,
    ).toBe(404);
    for (const body of [
      { purpose: "newsletter", status: "granted", reason: "weil" },
      { purpose: "service", status: "maybe", reason: "weil" },
      { purpose: "service", status: "granted", reason: "  " },
      { purpose: "service", status: "granted" },
    ]) {
      const res = await post(agent, conversationId, body);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toHaveProperty("code");
    }
    expect(await t.db.consent.count()).toBe(before);
  });
});
