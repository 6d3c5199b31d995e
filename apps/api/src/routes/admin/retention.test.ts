import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { RetentionPoliciesDto } from "@inbox/contracts";
import { createTestApp, login, makeUser, seedConversations, type Agent, type TestApp } from "../../test/test-app";

let t: TestApp;
let admin: Agent;
let agent: Agent;

beforeAll(async () => {
  t = await createTestApp();
  await makeUser(t, "admin@example.de", "admin");
  await makeUser(t, "agent@example.de", "agent");
  admin = await login(t, "admin@example.de");
  agent = await login(t, "agent@example.de");
});
afterAll(() => t.close());

const put = (who: Agent, payload: Record<string, unknown>) =>
  t.app.inject({ method: "PUT", url: "/api/admin/retention-policies", headers: who.headers, payload });

describe("retention policies API", () => {
  it("shows the documented defaults and minimums before anything is configured", async () => {
    const res = await t.app.inject({ method: "GET", url: "/api/admin/retention-policies", headers: admin.headers });
    expect(res.statusCode).toBe(200);
    const body = res.json<RetentionPoliciesDto>();
    expect(body.policies.map((p) => [p.category, p.days, p.isDefault])).toEqual([
      ["messages", 365, true],
      ["media", 180, true],
      ["contacts", 730, true],
      ["webhook_payloads", 30, true],
      ["sessions", 30, true],
      ["outbox", 7, true],
    ]);
    expect(body.categories.find((c) => c.category === "messages")).toMatchObject({ minimumDays: 30, perLabel: true });
  });

  it("refuses agents", async () => {
    expect(
      (await t.app.inject({ method: "GET", url: "/api/admin/retention-policies", headers: agent.headers })).statusCode,
    ).toBe(403);
    expect((await put(agent, { policies: [] })).statusCode).toBe(403);
  });

  it("asks for confirmation below a minimum, saves with it, and audits the change", async () => {
    const refused = await put(admin, { policies: [{ category: "messages", days: 7 }] });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: "confirmation_required" });
    const unchanged = await t.app.inject({
      method: "GET",
      url: "/api/admin/retention-policies",
      headers: admin.headers,
    });
    expect(unchanged.json<RetentionPoliciesDto>().policies[0]).toMatchObject({ category: "messages", days: 365 });

    const { channel } = await seedConversations(t, { count: 1, teamIds: [null] });
    const saved = await put(admin, {
      policies: [
        { category: "messages", days: 7 },
        { category: "messages", days: 60, channelId: channel.id },
      ],
      confirm: true,
    });
    expect(saved.statusCode).toBe(200);
    const policies = saved.json<RetentionPoliciesDto>().policies.filter((p) => p.category === "messages");
    expect(policies.map((p) => [p.days, p.channelId, p.isDefault])).toEqual([
      [7, null, false],
      [60, channel.id, false],
    ]);
    const audit = await t.deps.db.auditLog.findFirstOrThrow({ where: { action: "retention_policy.updated" } });
    expect(audit.data).toMatchObject({ confirmedBelowMinimum: [{ category: "messages", days: 7, minimumDays: 30 }] });
  });

  it("rejects scopes a category does not have, unknown channels and duplicates with 400", async () => {
    for (const policies of [
      [{ category: "sessions", days: 30, channelId: randomUUID() }],
      [{ category: "media", days: 30, labelId: randomUUID() }],
      [{ category: "messages", days: 30, channelId: randomUUID() }],
      [
        { category: "media", days: 30 },
        { category: "media", days: 40 },
      ],
      [{ category: "messages", days: -1 }],
      [{ category: "everything", days: 30 }],
    ]) {
      const res = await put(admin, { policies });
      expect(res.statusCode, JSON.stringify(policies)).toBe(400);
    }
  });
});

describe("legal holds API", () => {
  it("places a hold (201), lists it, refuses bad input, releases it (204) once", async () => {
    const { ids } = await seedConversations(t, { count: 1, teamIds: [null] });
    const created = await t.app.inject({
      method: "POST",
      url: "/api/admin/legal-holds",
      headers: admin.headers,
      payload: { conversationId: ids[0], reason: "Steuerprüfung" },
    });
    expect(created.statusCode).toBe(201);
    const hold = created.json<{ id: string; conversationId: string }>();
    expect(hold.conversationId).toBe(ids[0]);
    const list = await t.app.inject({ method: "GET", url: "/api/admin/legal-holds", headers: admin.headers });
    expect(list.json<{ items: { id: string }[] }>().items.map((h) => h.id)).toContain(hold.id);

    const bad = [
      { reason: "no target" },
      { conversationId: ids[0], contactId: randomUUID(), reason: "both" },
      { conversationId: ids[0], reason: "" },
    ];
    for (const payload of bad) {
      const res = await t.app.inject({
        method: "POST",
        url: "/api/admin/legal-holds",
        headers: admin.headers,
        payload,
      });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    const unknown = await t.app.inject({
      method: "POST",
      url: "/api/admin/legal-holds",
      headers: admin.headers,
      payload: { contactId: randomUUID(), reason: "unknown contact" },
    });
    expect(unknown.statusCode).toBe(404);
    const byAgent = await t.app.inject({
      method: "POST",
      url: "/api/admin/legal-holds",
      headers: agent.headers,
      payload: { conversationId: ids[0], reason: "agent" },
    });
    expect(byAgent.statusCode).toBe(403);

    const del = () =>
      t.app.inject({ method: "DELETE", url: `/api/admin/legal-holds/${hold.id}`, headers: admin.headers });
    expect((await del()).statusCode).toBe(204);
    expect((await del()).statusCode).toBe(404);
    const actions = (await t.deps.db.auditLog.findMany({ where: { entityId: hold.id } })).map((a) => a.action);
    expect(actions).toEqual(["legal_hold.placed", "legal_hold.released"]);
  });
});
