/** Routing administration through HTTP on a real database: rules (and their refusals), tester, default team, teams. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { parseEnv } from "@inbox/config";
import { createTestDatabase, createTestRedisPrefix, TEST_REDIS_URL, type TestDatabase } from "@inbox/db/testing";
import { createRedis, JobQueues } from "@inbox/jobs";
import { createLogger } from "@inbox/logger";
import { createApiServices } from "../../services";
import { asUser, createRouteTestApp } from "../../test/route-app";
import type { ApiDeps, App } from "../../types";
import { adminRoutingRoutes } from "./routing";

const log = createLogger({ name: "test", level: process.env.TEST_LOG ?? "silent", pretty: false });

describe("routing administration", () => {
  let t: TestDatabase;
  let app: App;
  let deps: ApiDeps;
  const redis = createRedis(TEST_REDIS_URL);
  const admin = { id: randomUUID(), role: "admin" as const, teamIds: [] as string[] };
  const lead = { id: randomUUID(), role: "lead" as const, teamIds: [] as string[] };
  let channelId: string;
  let billing: string;
  let support: string;
  let agentId: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    const queues = new JobQueues(redis, createTestRedisPrefix());
    const env = parseEnv({ LOG_LEVEL: "silent" });
    const infra = { env, db: t.db, pgPool: t.pgPool, redis, queues, log, clock: () => new Date(), consoleDir: null };
    deps = { ...infra, ...(await createApiServices(infra)) };
    app = createRouteTestApp(log);
    await app.register(adminRoutingRoutes(deps));
    await app.ready();
    await t.db.user.create({
      data: { id: admin.id, email: "a@example.test", name: "A", passwordHash: "x", role: "admin" },
    });
    agentId = (await t.db.user.create({ data: { email: "g@example.test", name: "G", passwordHash: "x" } })).id;
    channelId = (await t.db.channel.create({ data: { type: "whatsapp", name: "WA", externalId: "1001" } })).id;
    billing = (await t.db.team.create({ data: { name: "Billing" } })).id;
    support = (await t.db.team.create({ data: { name: "Support" } })).id;
  });
  afterAll(async () => {
    await app.close();
    await deps.close();
    await deps.queues.close();
    redis.disconnect();
    await t.drop();
  });

  const call = (
    method: "GET" | "PUT" | "POST" | "PATCH" | "DELETE",
    url: string,
    payload?: unknown,
    user: object = admin,
  ) =>
    app.inject({
      method,
      url,
      headers: asUser(user),
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });

  it("stores an ordered rule list and answers which team would get a sample message", async () => {
    await t.db.channel.update({ where: { id: channelId }, data: { defaultTeamId: null } });
    const put = await call("PUT", "/api/admin/routing-rules", {
      rules: [
        { name: "Invoices", conditions: { keywords: ["rechnung", "invoice"] }, teamId: billing },
        { name: "English", conditions: { languages: ["en"], channelIds: [channelId] }, teamId: support },
      ],
    });
    expect(put.statusCode).toBe(200);
    const got = await call("GET", "/api/admin/routing-rules");
    expect(got.json<{ items: { name: string; position: number }[] }>().items.map((r) => [r.name, r.position])).toEqual([
      ["Invoices", 0],
      ["English", 1],
    ]);

    const test = (body: object) => call("POST", "/api/admin/routing-rules/test", { channelId, ...body });
    expect((await test({ text: "Frage zur Rechnung", language: "en" })).json()).toMatchObject({
      teamId: billing,
      teamName: "Billing",
      ruleIndex: 0,
      reason: "rule",
    });
    expect((await test({ text: "Hello", language: "en" })).json()).toMatchObject({ teamId: support, ruleIndex: 1 });
    expect((await test({ text: "Hallo", language: "de" })).json()).toMatchObject({ teamId: null, reason: "none" });

    const patch = await call("PATCH", `/api/admin/channels/${channelId}`, { defaultTeamId: support });
    expect(patch.statusCode).toBe(200);
    expect((await test({ text: "Hallo", language: "de" })).json()).toMatchObject({
      teamId: support,
      ruleIndex: null,
      reason: "channel_default",
    });
    // A draft rule set is tested without being saved.
    const draft = await test({
      text: "x",
      replyId: "sales",
      rules: [{ name: "Sales button", conditions: { replyIds: ["sales"] }, teamId: billing }],
    });
    expect(draft.json()).toMatchObject({ teamId: billing, ruleName: "Sales button" });
    expect((await call("GET", "/api/admin/routing-rules")).json<{ items: unknown[] }>().items).toHaveLength(2);
  });

  it("refuses rules that cannot match or point nowhere, and keeps the stored list", async () => {
    const cases: [object, string][] = [
      [{ name: "Empty", conditions: {}, teamId: billing }, "conditions"],
      [{ name: "Bad pattern", conditions: { pattern: "(unclosed" }, teamId: billing }, "pattern"],
      [{ name: "No team", conditions: { keywords: ["x"] }, teamId: randomUUID() }, "teamId"],
      [{ name: "No channel", conditions: { channelIds: [randomUUID()] }, teamId: billing }, "channelIds"],
      [{ name: "No label", conditions: { labelIds: [randomUUID()] }, teamId: billing }, "labelIds"],
    ];
    for (const [bad, field] of cases) {
      const res = await call("PUT", "/api/admin/routing-rules", [
        { name: "Fine", conditions: { keywords: ["ok"] }, teamId: support },
        bad,
      ]);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json()).toMatchObject({ code: "routing_rule_invalid", index: 1, field });
    }
    const shape = await call("PUT", "/api/admin/routing-rules", [
      { name: "Unknown condition", conditions: { weather: "rain" }, teamId: billing },
    ]);
    expect(shape.statusCode).toBe(400);
    expect(shape.json()).toMatchObject({ code: "validation_failed" });
    expect((await call("GET", "/api/admin/routing-rules")).json<{ items: { name: string }[] }>().items).toHaveLength(2);
  });

  it("is for admins only", async () => {
    expect((await call("GET", "/api/admin/routing-rules", undefined, lead)).statusCode).toBe(403);
    expect((await call("PUT", "/api/admin/routing-rules", [], lead)).statusCode).toBe(403);
    expect((await call("PATCH", `/api/admin/channels/${channelId}`, { defaultTeamId: null }, lead)).statusCode).toBe(
      403,
    );
    expect((await call("PATCH", `/api/admin/teams/${billing}`, { name: "X" }, lead)).statusCode).toBe(403);
    expect((await app.inject({ method: "GET", url: "/api/admin/routing-rules" })).statusCode).toBe(401);
  });

  it("edits a team: name, settings, members and leads; refuses bad business hours and unknown ids", async () => {
    const res = await call("PATCH", `/api/admin/teams/${support}`, {
      name: "Kundenservice",
      assignment: "least_loaded",
      requirePresence: false,
      awayMessage: { de: "Wir sind gleich zurück.", en: "We will be right back." },
      businessHours: { days: { mon: [{ from: "09:00", to: "17:00" }] }, holidayState: "BY" },
      members: [
        { userId: agentId, role: "member" },
        { userId: admin.id, role: "lead" },
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      name: "Kundenservice",
      assignment: "least_loaded",
      requirePresence: false,
      awayMessage: { de: "Wir sind gleich zurück." },
      businessHours: { timeZone: "Europe/Berlin", holidayState: "BY", closedDates: [] },
    });
    expect(await t.db.teamMembership.findMany({ where: { teamId: support }, orderBy: { role: "asc" } })).toMatchObject([
      { userId: agentId, role: "member" },
      { userId: admin.id, role: "lead" },
    ]);
    const bad = async (body: object, code: string) => {
      const r = await call("PATCH", `/api/admin/teams/${support}`, body);
      expect(r.statusCode, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(r.statusCode).toBeLessThan(500);
      expect(r.json()).toMatchObject({ code });
    };
    await bad({ businessHours: { timeZone: "Mars/Olympus", days: {} } }, "team_settings_invalid");
    await bad({ businessHours: { days: { tue: [{ from: "18:00", to: "08:00" }] } } }, "team_settings_invalid");
    await bad({ businessHours: { days: {}, holidayState: "XX" } }, "team_settings_invalid");
    await bad({ assignment: "lottery" }, "validation_failed");
    await bad({ members: [{ userId: randomUUID(), role: "member" }] }, "not_found");
    await bad({ name: "Billing" }, "conflict");
    expect((await call("PATCH", `/api/admin/teams/${randomUUID()}`, { name: "Y" })).statusCode).toBe(404);
    expect((await call("PATCH", `/api/admin/channels/${channelId}`, { defaultTeamId: randomUUID() })).statusCode).toBe(
      404,
    );
    // The refused changes changed nothing.
    expect((await call("GET", `/api/admin/teams/${support}`)).json()).toMatchObject({ name: "Kundenservice" });
  });

  it("deletes a team only when no routing rule sends conversations to it", async () => {
    const blocked = await call("DELETE", `/api/admin/teams/${billing}`);
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json()).toMatchObject({ code: "conflict" });
    await call("PUT", "/api/admin/routing-rules", []);
    expect((await call("DELETE", `/api/admin/teams/${billing}`)).statusCode).toBe(204);
    expect(await t.db.team.findUnique({ where: { id: billing } })).toBeNull();
    expect((await call("DELETE", `/api/admin/teams/${billing}`)).statusCode).toBe(404);
  });
});
