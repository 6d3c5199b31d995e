import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLivePublisher, buildLiveEvents } from "@inbox/core";
import { LiveEnvelopeSchema, type ConversationDto } from "@inbox/contracts";
import { createTestApp, login, makeUser, seedConversations, type Agent, type TestApp } from "../test/test-app";

describe("conversation, admin and live routes", () => {
  let t: TestApp;
  let support: string;
  let sales: string;
  let agent: Agent;
  let agentId: string;
  let lead: Agent;
  let admin: Agent;
  let ids: string[];

  beforeAll(async () => {
    t = await createTestApp();
    const a = await makeUser(t, "agent@example.com", "agent", ["Support"]);
    agentId = a.id;
    await makeUser(t, "lead@example.com", "lead", ["Support"]);
    await makeUser(t, "admin@example.com", "admin");
    await makeUser(t, "sales@example.com", "agent", ["Sales"]);
    support = (await t.deps.db.team.findUniqueOrThrow({ where: { name: "Support" } })).id;
    sales = (await t.deps.db.team.findUniqueOrThrow({ where: { name: "Sales" } })).id;
    // 0,3,6… Support; 1,4,7… Sales; 2,5,8… no team
    ({ ids } = await seedConversations(t, { count: 30, teamIds: [support, sales, null] }));
    agent = await login(t, "agent@example.com");
    lead = await login(t, "lead@example.com");
    admin = await login(t, "admin@example.com");
  });
  afterAll(async () => t.close());

  const list = async (who: Agent, qs: string) => {
    const res = await t.app.inject({ method: "GET", url: `/api/conversations?${qs}`, headers: { cookie: who.cookie } });
    expect(res.statusCode).toBe(200);
    return res.json<{ items: ConversationDto[]; nextCursor: string | null }>();
  };

  it("lists only what the role may see, newest activity first", async () => {
    const mine = await list(agent, "status=all&limit=500");
    expect(mine.items).toHaveLength(10);
    expect(mine.items.every((c) => c.teamId === support)).toBe(true);
    const times = mine.items.map((c) => c.lastMessageAt);
    expect([...times].sort().reverse()).toEqual(times);
    // Leads: their teams; conversations without a team only when admins chose so (CONTRACT "Roles").
    expect((await list(lead, "limit=500")).items).toHaveLength(10);
    const setTeamless = (value: boolean) =>
      t.app.inject({
        method: "PUT",
        url: "/api/admin/settings/security",
        headers: admin.headers,
        payload: { leadsSeeTeamlessConversations: value },
      });
    const on = await setTeamless(true);
    expect(on.json()).toEqual({ requireTotp: false, leadsSeeTeamlessConversations: true });
    expect((await list(lead, "limit=500")).items).toHaveLength(20); // Support + untriaged
    expect((await list(agent, "limit=500")).items).toHaveLength(10); // the setting is for leads only
    await setTeamless(false);
    expect((await list(lead, "limit=500")).items).toHaveLength(10);
    expect((await list(admin, "limit=500")).items).toHaveLength(30);
    expect(mine.items[0]).toMatchObject({
      contact: { waId: expect.any(String) },
      channel: { type: "whatsapp" },
      lastMessagePreview: expect.stringMatching(/^Hallo/),
    });
  });

  it("pages with a keyset cursor without gaps or repeats", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(admin, `limit=7${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
    const bad = await t.app.inject({
      method: "GET",
      url: "/api/conversations?limit=501",
      headers: { cookie: admin.cookie },
    });
    expect(bad.statusCode).toBe(400);
  });

  it("filters by assignee, team, channel, label and search", async () => {
    await t.deps.db.conversation.update({ where: { id: ids[0]! }, data: { assigneeId: agentId } });
    expect((await list(agent, "assignee=me")).items.map((c) => c.id)).toEqual([ids[0]]);
    expect((await list(agent, "assignee=none")).items).toHaveLength(9);
    expect((await list(admin, `team=${sales}&limit=500`)).items).toHaveLength(10);
    expect((await list(agent, "team=mine&limit=500")).items).toHaveLength(10);
    expect((await list(admin, "q=Kunde 12")).items.map((c) => c.contact.displayName)).toEqual(["Kunde 12"]);
    expect((await list(admin, "q=Nummer 13")).items).toHaveLength(1);
    expect((await list(admin, "channel=not-a-uuid")).items).toHaveLength(0);
    const label = await t.app.inject({
      method: "POST",
      url: "/api/admin/labels",
      headers: admin.headers,
      payload: { name: "VIP", color: "#ff0000" },
    });
    expect(label.statusCode).toBe(201);
    const labelId = label.json<{ id: string }>().id;
    const set = await t.app.inject({
      method: "PUT",
      url: `/api/conversations/${ids[3]}/labels`,
      headers: agent.headers,
      payload: { labelIds: [labelId] },
    });
    expect(set.statusCode).toBe(200);
    expect((await list(agent, `label=${labelId}`)).items.map((c) => c.id)).toEqual([ids[3]]);
    expect((await list(agent, "label=VIP")).items.map((c) => c.id)).toEqual([ids[3]]);
  });

  it("an agent gets 403 on another team's conversation, its messages and its actions", async () => {
    const other = ids[1]!; // Sales
    for (const [method, url] of [
      ["GET", `/api/conversations/${other}`],
      ["GET", `/api/conversations/${other}/messages`],
      ["POST", `/api/conversations/${other}/read`],
    ] as const) {
      const res = await t.app.inject({ method, url, headers: agent.headers });
      expect(res.statusCode, url).toBe(403);
      expect(res.json()).toMatchObject({ code: "forbidden" });
    }
    expect(
      (await t.app.inject({ method: "GET", url: `/api/conversations/${ids[3]}/messages`, headers: agent.headers }))
        .statusCode,
    ).toBe(200);
  });

  it("actions: assign, resolve/reopen, read — audited; agents may not assign to others", async () => {
    const id = ids[6]!;
    const assign = await t.app.inject({
      method: "POST",
      url: `/api/conversations/${id}/assign`,
      headers: agent.headers,
      payload: { assigneeId: agentId },
    });
    expect(assign.json()).toMatchObject({ assigneeId: agentId });
    const other = await t.app.inject({
      method: "POST",
      url: `/api/conversations/${id}/assign`,
      headers: agent.headers,
      payload: { assigneeId: null },
    });
    expect(other.statusCode).toBe(200);
    const leadUser = await t.deps.db.user.findUniqueOrThrow({ where: { email: "lead@example.com" } });
    const refused = await t.app.inject({
      method: "POST",
      url: `/api/conversations/${id}/assign`,
      headers: agent.headers,
      payload: { assigneeId: leadUser.id },
    });
    expect(refused.statusCode).toBe(403);
    const byLead = await t.app.inject({
      method: "POST",
      url: `/api/conversations/${id}/assign`,
      headers: lead.headers,
      payload: { assigneeId: agentId },
    });
    expect(byLead.statusCode).toBe(200);
    const resolved = await t.app.inject({
      method: "POST",
      url: `/api/conversations/${id}/status`,
      headers: agent.headers,
      payload: { status: "resolved" },
    });
    expect(resolved.json()).toMatchObject({ status: "resolved" });
    const reopened = await t.app.inject({
      method: "POST",
      url: `/api/conversations/${id}/status`,
      headers: agent.headers,
      payload: { status: "open" },
    });
    expect(reopened.json()).toMatchObject({ status: "open" });
    const read = await t.app.inject({ method: "POST", url: `/api/conversations/${id}/read`, headers: agent.headers });
    expect(read.json()).toMatchObject({ unreadCount: 0 });
    const audit = await t.deps.db.auditLog.findMany({ where: { entityId: id }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual([
      "conversation.assignment.manual",
      "conversation.assignment.manual",
      "conversation.assignment.manual",
      "conversation.status",
      "conversation.status",
      "conversation.read",
    ]);
  });

  it("roles (CONTRACT): an agent cannot take a colleague's conversation; leads can reassign it", async () => {
    const id = ids[15]!; // Support
    const colleague = await makeUser(t, "colleague@example.com", "agent", ["Support"]);
    const post = (who: Agent, action: string, payload: object) =>
      t.app.inject({ method: "POST", url: `/api/conversations/${id}/${action}`, headers: who.headers, payload });
    expect((await post(lead, "assign", { assigneeId: colleague.id })).statusCode).toBe(200);
    const taken = await post(agent, "assign", { assigneeId: agentId });
    expect(taken.statusCode).toBe(403);
    expect(taken.json()).toMatchObject({ code: "assignment_forbidden" });
    expect((await t.deps.db.conversation.findUniqueOrThrow({ where: { id } })).assigneeId).toBe(colleague.id);
    // Free again: the agent may take it.
    expect((await post(lead, "assign", { assigneeId: null })).statusCode).toBe(200);
    expect((await post(agent, "assign", { assigneeId: agentId })).json()).toMatchObject({ assigneeId: agentId });

    // Handing over to another team is an agent's everyday step ("this is for Sales"); it unassigns the conversation.
    expect((await post(agent, "handover", { teamId: sales })).json()).toMatchObject({
      teamId: sales,
      assigneeId: null,
    });
    // Now Sales's: the Support lead no longer sees it; an admin brings it back.
    expect((await post(lead, "handover", { teamId: support })).statusCode).toBe(403);
    expect((await post(admin, "handover", { teamId: support })).json()).toMatchObject({ teamId: support });
  });

  it("the contact panel lists only the contact's conversations the user may see", async () => {
    // One customer with a Support conversation (open) and an older Sales one (resolved).
    const supportConversation = await t.deps.db.conversation.findUniqueOrThrow({ where: { id: ids[12]! } });
    const salesPast = await t.deps.db.conversation.create({
      data: {
        channelId: supportConversation.channelId,
        contactId: supportConversation.contactId,
        teamId: sales,
        status: "resolved",
      },
    });
    const panel = async (who: Agent) =>
      (await t.app.inject({ method: "GET", url: `/api/conversations/${ids[12]}/contact`, headers: who.headers })).json<{
        pastConversations: { id: string }[];
      }>().pastConversations;
    expect((await panel(agent)).map((c) => c.id)).not.toContain(salesPast.id);
    expect((await panel(lead)).map((c) => c.id)).not.toContain(salesPast.id);
    expect((await panel(admin)).map((c) => c.id)).toContain(salesPast.id);
  });

  it("admin routes refuse agents and leads", async () => {
    for (const who of [agent, lead]) {
      const res = await t.app.inject({ method: "GET", url: "/api/admin/users", headers: who.headers });
      expect(res.statusCode).toBe(403);
      const create = await t.app.inject({
        method: "POST",
        url: "/api/admin/users",
        headers: who.headers,
        payload: { email: "x@example.com", password: "long enough pw", role: "admin" },
      });
      expect(create.statusCode).toBe(403);
    }
    expect((await t.app.inject({ method: "GET", url: "/api/admin/users", headers: admin.headers })).statusCode).toBe(
      200,
    );
  });

  it("admins create, deactivate users and reset passwords", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/admin/users",
      headers: admin.headers,
      payload: { email: "new@example.com", password: "first password", role: "agent", teamIds: [support] },
    });
    expect(res.statusCode).toBe(201);
    const id = res.json<{ id: string }>().id;
    const newbie = await login(t, "new@example.com", "first password");
    // The admin chose the password: the new user replaces it before anything else.
    expect(
      (await t.app.inject({ method: "GET", url: "/api/auth/me", headers: { cookie: newbie.cookie } })).json(),
    ).toMatchObject({ user: { mustChangePassword: true } });
    const reset = await t.app.inject({
      method: "POST",
      url: `/api/admin/users/${id}/password`,
      headers: admin.headers,
      payload: { password: "second password" },
    });
    expect(reset.statusCode).toBe(204);
    expect(
      (await t.app.inject({ method: "GET", url: "/api/auth/me", headers: { cookie: newbie.cookie } })).statusCode,
    ).toBe(401);
    const again = await login(t, "new@example.com", "second password");
    const off = await t.app.inject({
      method: "PATCH",
      url: `/api/admin/users/${id}`,
      headers: admin.headers,
      payload: { isActive: false },
    });
    expect(off.json()).toMatchObject({ isActive: false });
    expect(
      (await t.app.inject({ method: "GET", url: "/api/auth/me", headers: { cookie: again.cookie } })).statusCode,
    ).toBe(401);
  });

  it("/api/ws forwards only visible events and catches up from the last seq", async () => {
    const live = createLivePublisher(t.deps.redis, t.deps.queues.prefix, t.deps.log);
    const ws = await t.app.injectWS("/api/ws", { headers: { cookie: agent.cookie } });
    const received: unknown[] = [];
    ws.on("message", (data: Buffer) => received.push(JSON.parse(data.toString())));
    await waitFor(() => received.some((m) => (m as { control?: string }).control === "hello"));
    await live.publish(await buildLiveEvents(t.deps.db, { conversationIds: [ids[1]!] })); // Sales: hidden
    await live.publish(await buildLiveEvents(t.deps.db, { conversationIds: [ids[3]!] })); // Support: visible
    const conversationEvents = (messages: unknown[]) =>
      messages.flatMap((m) => {
        const p = LiveEnvelopeSchema.safeParse(m);
        return p.success && p.data.event.type !== "presence" && p.data.event.type !== "typing"
          ? [{ seq: p.data.seq, conversationId: p.data.event.conversationId }]
          : [];
      });
    await waitFor(() => conversationEvents(received).length > 0);
    const envelopes = conversationEvents(received);
    expect(envelopes.map((e) => e.conversationId)).toEqual([ids[3]]);
    const lastSeq = envelopes[0]!.seq;
    ws.terminate();

    // Missed while disconnected, replayed on reconnect with ?since.
    // publish() returns once the envelope is in the backlog; a late live copy is dropped by its seq.
    await live.publish(await buildLiveEvents(t.deps.db, { conversationIds: [ids[9]!] }));
    const again = await t.app.injectWS(`/api/ws?since=${lastSeq}`, { headers: { cookie: agent.cookie } });
    const replay: unknown[] = [];
    again.on("message", (data: Buffer) => replay.push(JSON.parse(data.toString())));
    await waitFor(() => replay.some((m) => (m as { control?: string }).control === "hello"));
    expect(conversationEvents(replay).map((e) => e.conversationId)).toEqual([ids[9]]);
    again.terminate();

    const anon = await t.app.inject({ method: "GET", url: "/api/ws" });
    expect(anon.statusCode).toBe(401);
  });

  it("presence: colleagues see who has the console open, live and via GET /api/presence; the last tab closing ends it", async () => {
    const me = await t.app.inject({ method: "GET", url: "/api/auth/me", headers: lead.headers });
    const leadId = me.json<{ user: { id: string } }>().user.id;
    const watcher = await t.app.injectWS("/api/ws", { headers: { cookie: agent.cookie } });
    const got: { event?: { type: string; userId?: string; isOnline?: boolean } }[] = [];
    watcher.on("message", (data: Buffer) => got.push(JSON.parse(data.toString()) as (typeof got)[number]));
    await waitFor(() => got.some((m) => "control" in m));
    const presenceOf = (userId: string) =>
      got.filter((m) => m.event?.type === "presence" && m.event.userId === userId).map((m) => m.event!.isOnline);
    const online = async () =>
      (await t.app.inject({ method: "GET", url: "/api/presence", headers: agent.headers })).json<{
        onlineUserIds: string[];
      }>().onlineUserIds;

    const tab1 = await t.app.injectWS("/api/ws", { headers: { cookie: lead.cookie } });
    const tab2 = await t.app.injectWS("/api/ws", { headers: { cookie: lead.cookie } });
    await waitFor(() => presenceOf(leadId).length > 0);
    expect(await online()).toContain(leadId);
    const sockets = t.app.websocketServer.clients.size;
    tab1.terminate();
    await waitFor(() => t.app.websocketServer.clients.size === sockets - 1); // the server saw tab1 go
    expect(await online()).toContain(leadId); // still one tab open
    expect(presenceOf(leadId)).toEqual([true]);
    tab2.terminate();
    await waitFor(() => presenceOf(leadId).length === 2);
    expect(presenceOf(leadId)).toEqual([true, false]);
    expect(await online()).not.toContain(leadId);
    // Nobody is told about themselves.
    expect(got.some((m) => m.event?.type === "presence" && m.event.userId !== leadId)).toBe(false);
    expect((await t.app.inject({ method: "GET", url: "/api/presence" })).statusCode).toBe(401);
    watcher.terminate();
  });

  it("relays typing to colleagues who may see the conversation, not for conversations the typist may not see", async () => {
    const watcher = await t.app.injectWS("/api/ws", { headers: { cookie: agent.cookie } });
    const got: { type?: string; event?: { type: string; conversationId: string; name?: string } }[] = [];
    watcher.on("message", (data: Buffer) => got.push(JSON.parse(data.toString()) as (typeof got)[number]));
    await waitFor(() => got.some((m) => "control" in m));
    const sales = await login(t, "sales@example.com");
    // Listening from before the upgrade completes, so no hello is missed.
    let hellos = 0;
    const onInit = (socket: { on(event: "message", listener: (data: Buffer) => void): void }) =>
      socket.on("message", (data) => {
        if ((JSON.parse(data.toString()) as { control?: string }).control === "hello") hellos++;
      });
    const typist = await t.app.injectWS("/api/ws", { headers: { cookie: lead.cookie } }, { onInit });
    const salesSocket = await t.app.injectWS("/api/ws", { headers: { cookie: sales.cookie } }, { onInit });
    await waitFor(() => hellos === 2);
    // Sales first: its relay starts before the lead's, so a wrongly relayed one would arrive first.
    salesSocket.send(JSON.stringify({ type: "typing", conversationId: ids[3] })); // Sales may not see Support's
    typist.send(JSON.stringify({ type: "typing", conversationId: ids[3] }));
    await waitFor(() => got.some((m) => m.event?.type === "typing"));
    const typing = got.filter((m) => m.event?.type === "typing");
    expect(typing).toHaveLength(1);
    expect(typing[0]!.event).toMatchObject({ conversationId: ids[3], name: "lead" });
    for (const s of [watcher, typist, salesSocket]) s.terminate();
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  await expect.poll(check).toBe(true);
}
