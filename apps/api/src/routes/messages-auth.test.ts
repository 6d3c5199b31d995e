/** The message routes inside the real app: session cookie + CSRF from POST /api/auth/login, team-based access. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, makeUser, type Agent, type TestApp } from "../test/test-app";

describe("message routes with real sessions", () => {
  let t: TestApp;
  let agent: Agent;
  let outsider: Agent;
  let conversationId: string;
  beforeAll(async () => {
    t = await createTestApp();
    await makeUser(t, "agent@example.com", "agent", ["Support"]);
    await makeUser(t, "other@example.com", "agent", ["Billing"]);
    agent = await login(t, "agent@example.com");
    outsider = await login(t, "other@example.com");
    const team = await t.deps.db.team.findUniqueOrThrow({ where: { name: "Support" } });
    const channel = await t.deps.db.channel.create({
      data: { type: "whatsapp", name: "WA", externalId: "100000000000009" },
    });
    const contact = await t.deps.db.contact.create({ data: { channelId: channel.id, waId: "4915199999001" } });
    const conversation = await t.deps.db.conversation.create({
      data: {
        channelId: channel.id,
        contactId: contact.id,
        activeContactId: contact.id,
        teamId: team.id,
        lastInboundAt: new Date(),
      },
    });
    conversationId = conversation.id;
  });
  afterAll(async () => t.close());

  const post = (headers: Record<string, string>, clientId: string) =>
    t.app.inject({
      method: "POST",
      url: `/api/conversations/${conversationId}/messages`,
      headers,
      payload: { type: "text", text: "Hallo", clientId },
    });

  it("401 without a session, 403 csrf_failed without the CSRF header, 403 for another team, 202 for the team's agent", async () => {
    expect((await post({}, "a")).statusCode).toBe(401);
    expect((await post({ cookie: agent.cookie }, "a")).json()).toMatchObject({ code: "csrf_failed" });
    const forbidden = await post(outsider.headers, "a");
    expect(forbidden.statusCode).toBe(403);
    const ok = await post(agent.headers, "a");
    expect(ok.statusCode).toBe(202);
    expect(ok.json()).toMatchObject({ status: "queued", clientId: "a" });
  });

  it("template sync is for admins only; the template list is for every signed-in user", async () => {
    const sync = await t.app.inject({
      method: "POST",
      url: "/api/templates/sync",
      headers: agent.headers,
      payload: {},
    });
    expect(sync.statusCode).toBe(403);
    const list = await t.app.inject({ method: "GET", url: "/api/templates", headers: agent.headers });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({ items: [] });
  });
});
