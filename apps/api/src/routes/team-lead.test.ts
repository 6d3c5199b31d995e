/**
 * Issue 13's team-lead part against real Postgres: bulk reassignment (per-conversation answers, note, timeline line,
 * audit), the timeline line of auto-assignment, offboarding a deactivated user, and the lead dashboard's figures.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BulkReassignResponse, TeamDashboard } from "@inbox/contracts";
import { assignQueues, type AssignmentDeps } from "@inbox/core";
import { createTestApp, login, makeUser, type Agent, type TestApp } from "../test/test-app";

let t: TestApp;
let channelId: string;
let support: string;
let sales: string;
const users: Record<string, string> = {};
const as: Record<string, Agent> = {};
let seq = 0;

async function conversation(data: {
  teamId: string | null;
  assigneeId?: string | null;
  status?: "open" | "resolved";
  createdAt?: Date;
  queuedAt?: Date | null;
  firstResponseAt?: Date | null;
  resolvedAt?: Date | null;
}): Promise<string> {
  const n = ++seq;
  const contact = await t.t.db.contact.create({
    data: { channelId, waId: `49170${String(n).padStart(7, "0")}`, displayName: `Kunde ${n}` },
  });
  const isResolved = data.status === "resolved";
  const c = await t.t.db.conversation.create({
    data: {
      channelId,
      contactId: contact.id,
      activeContactId: isResolved ? null : contact.id,
      status: data.status ?? "open",
      teamId: data.teamId,
      assigneeId: data.assigneeId ?? null,
      createdAt: data.createdAt,
      queuedAt: data.queuedAt ?? null,
      firstResponseAt: data.firstResponseAt ?? null,
      resolvedAt: data.resolvedAt ?? null,
    },
  });
  return c.id;
}
const conv = (id: string) => t.t.db.conversation.findUniqueOrThrow({ where: { id } });
const timeline = (id: string) =>
  t.t.db.message.findMany({ where: { conversationId: id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
const audits = (id: string) =>
  t.t.db.auditLog.findMany({
    where: { entityType: "conversation", entityId: id, action: { startsWith: "conversation.assignment" } },
    orderBy: { id: "asc" },
  });
const bulk = (who: Agent, payload: object) =>
  t.app.inject({ method: "POST", url: "/api/conversations/reassign", headers: who.headers, payload });

beforeAll(async () => {
  t = await createTestApp();
  channelId = (await t.t.db.channel.create({ data: { type: "whatsapp", name: "WA", externalId: "1555000111" } })).id;
  const specs = [
    ["lead", "lead", ["Support"]],
    ["saleslead", "lead", ["Sales"]],
    ["anna", "agent", ["Support"]],
    ["ben", "agent", ["Support"]],
    ["sara", "agent", ["Sales"]],
    ["admin", "admin", []],
  ] as const;
  for (const [name, role, teams] of specs) {
    users[name] = (await makeUser(t, `${name}@example.test`, role, [...teams])).id;
    await t.t.db.user.update({ where: { id: users[name] }, data: { name: name.toUpperCase() } });
    as[name] = await login(t, `${name}@example.test`);
  }
  support = (await t.t.db.team.findUniqueOrThrow({ where: { name: "Support" } })).id;
  sales = (await t.t.db.team.findUniqueOrThrow({ where: { name: "Sales" } })).id;
});
afterAll(async () => {
  await t.close();
});

describe("POST /api/conversations/reassign (bulk)", () => {
  it("moves what the lead may move, refuses the rest one by one with a code, adds the note and a timeline line", async () => {
    const fromAnna = await conversation({ teamId: support, assigneeId: users.anna });
    const unassigned = await conversation({ teamId: support, queuedAt: new Date() });
    const salesOne = await conversation({ teamId: sales, assigneeId: users.sara });
    const already = await conversation({ teamId: support, assigneeId: users.ben });
    const res = await bulk(as.lead!, {
      conversationIds: [fromAnna, unassigned, salesOne, "not-an-id", already],
      assigneeId: users.ben,
      note: "Anna ist krank",
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<BulkReassignResponse>();
    expect(body).toMatchObject({ moved: 2, refused: 2 });
    expect(body.results).toEqual([
      { conversationId: fromAnna, isMoved: true, code: null, message: null },
      { conversationId: unassigned, isMoved: true, code: null, message: null },
      { conversationId: salesOne, isMoved: false, code: "forbidden", message: expect.any(String) },
      { conversationId: "not-an-id", isMoved: false, code: "not_found", message: expect.any(String) },
      // Already Ben's: nothing to do, nothing refused.
      { conversationId: already, isMoved: false, code: null, message: null },
    ]);
    expect(await conv(fromAnna)).toMatchObject({ assigneeId: users.ben, teamId: support, queuedAt: null });
    expect(await conv(unassigned)).toMatchObject({ assigneeId: users.ben, queuedAt: null });
    expect((await conv(salesOne)).assigneeId).toBe(users.sara);

    const lines = await timeline(fromAnna);
    expect(lines.map((m) => [m.type, m.isPrivate, m.senderId])).toEqual([
      ["system", true, users.lead],
      ["note", true, users.lead],
    ]);
    expect(lines[0]!.text).toBe("Zugewiesen an BEN (von LEAD)\nAssigned to BEN (by LEAD)");
    expect(lines[1]!.text).toBe("Anna ist krank");
    expect(await timeline(already)).toEqual([]);
    const [audit] = await audits(fromAnna);
    expect(audit).toMatchObject({ action: "conversation.assignment.bulk", actorId: users.lead, actorType: "user" });
    expect(audit!.data).toMatchObject({ from: users.anna, to: users.ben, note: "Anna ist krank", reason: "bulk" });
  });

  it("a lead of another team cannot take the conversation; an admin can; a team-only move queues it there", async () => {
    const id = await conversation({ teamId: support, assigneeId: users.anna });
    const refused = await bulk(as.saleslead!, { conversationIds: [id], assigneeId: users.sara });
    expect(refused.json<BulkReassignResponse>().results[0]).toMatchObject({ isMoved: false, code: "forbidden" });
    const toSales = await bulk(as.admin!, { conversationIds: [id], teamId: sales });
    expect(toSales.json<BulkReassignResponse>()).toMatchObject({ moved: 1, refused: 0 });
    const moved = await conv(id);
    expect(moved).toMatchObject({ teamId: sales, assigneeId: null });
    expect(moved.queuedAt).not.toBeNull();
    expect((await timeline(id))[0]!.text).toBe(
      "In der Warteschlange von Sales (von ADMIN)\nWaiting in the queue of Sales (by ADMIN)",
    );
    // The Support lead no longer leads the team it is in, and a member of Support cannot reach it.
    const back = await bulk(as.lead!, { conversationIds: [id], assigneeId: users.lead });
    expect(back.json<BulkReassignResponse>().results[0]).toMatchObject({ code: "forbidden" });
  });

  it("refuses agents (403), a request naming neither assignee nor team (400) and an unknown assignee per conversation", async () => {
    const id = await conversation({ teamId: support, assigneeId: users.anna });
    const byAgent = await bulk(as.anna!, { conversationIds: [id], assigneeId: users.anna });
    expect(byAgent.statusCode).toBe(403);
    expect(byAgent.json()).toMatchObject({ code: "forbidden" });
    const empty = await bulk(as.lead!, { conversationIds: [id] });
    expect(empty.statusCode).toBe(400);
    expect((await bulk(as.lead!, { conversationIds: [], teamId: support })).statusCode).toBe(400);
    const ghost = await bulk(as.lead!, { conversationIds: [id], assigneeId: "00000000-0000-4000-8000-000000000000" });
    expect(ghost.json<BulkReassignResponse>().results[0]).toMatchObject({ isMoved: false, code: "not_found" });
    expect((await conv(id)).assigneeId).toBe(users.anna);
    expect(await audits(id)).toEqual([]);
  });
});

describe("single reassignment", () => {
  it("an agent takes an unassigned conversation of the team (a line in the timeline), not a colleague's", async () => {
    const id = await conversation({ teamId: support, queuedAt: new Date() });
    const take = (who: Agent) =>
      t.app.inject({
        method: "POST",
        url: `/api/conversations/${id}/assign`,
        headers: who.headers,
        payload: { assigneeId: users[who === as.anna ? "anna" : "ben"] },
      });
    expect((await take(as.anna!)).statusCode).toBe(200);
    const refused = await take(as.ben!);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: "assignment_forbidden" });
    const handOver = await t.app.inject({
      method: "POST",
      url: `/api/conversations/${id}/handover`,
      headers: as.ben!.headers,
      payload: { teamId: sales },
    });
    expect(handOver.json()).toMatchObject({ code: "assignment_forbidden" });
    expect((await timeline(id)).map((m) => m.text)).toEqual([
      "Zugewiesen an ANNA (von ANNA)\nAssigned to ANNA (by ANNA)",
    ]);
    expect((await audits(id)).map((a) => a.action)).toEqual(["conversation.assignment.manual"]);
  });
});

describe("auto-assignment and offboarding", () => {
  const routing = (): AssignmentDeps => ({ db: t.t.db, onlineUserIds: async () => [] });

  it("auto-assignment writes a timeline line and a system audit entry", async () => {
    await t.t.db.team.update({
      where: { id: support },
      data: { assignmentStrategy: "round_robin", requirePresence: false },
    });
    await t.t.db.user.update({
      where: { id: users.ben },
      data: { availability: "available", maxOpenConversations: null },
    });
    const id = await conversation({ teamId: support, queuedAt: new Date(Date.now() - 60_000) });
    const assigned = await assignQueues(routing(), [support]);
    expect(assigned.map((a) => a.conversationId)).toContain(id);
    expect((await conv(id)).assigneeId).toBe(users.ben);
    const [line] = await timeline(id);
    expect(line).toMatchObject({ type: "system", isPrivate: true, senderId: null });
    expect(line!.text).toBe("Zugewiesen an BEN (automatisch)\nAssigned to BEN (automatically)");
    expect(await audits(id)).toMatchObject([{ action: "conversation.assignment.auto", actorType: "system" }]);
    await t.t.db.user.update({ where: { id: users.ben }, data: { availability: "offline" } });
  });

  it("deactivating a user re-routes their open conversations inside the team; their history stays theirs", async () => {
    const carl = await makeUser(t, "carl@example.test", "agent", ["Support"]);
    await t.t.db.user.update({ where: { id: carl.id }, data: { name: "CARL" } });
    const open1 = await conversation({ teamId: support, assigneeId: carl.id });
    const open2 = await conversation({ teamId: support, assigneeId: carl.id });
    const teamless = await conversation({ teamId: null, assigneeId: carl.id });
    const done = await conversation({
      teamId: support,
      assigneeId: carl.id,
      status: "resolved",
      resolvedAt: new Date(),
    });
    await t.t.db.message.create({
      data: {
        conversationId: open1,
        channelId,
        direction: "outbound",
        type: "text",
        text: "Hallo",
        status: "sent",
        senderId: carl.id,
      },
    });
    // Ben can take exactly one more (his other open conversations count against the limit).
    const benLoad = await t.t.db.conversation.count({ where: { assigneeId: users.ben, status: { not: "resolved" } } });
    await t.t.db.user.update({
      where: { id: users.ben },
      data: { availability: "available", maxOpenConversations: benLoad + 1 },
    });
    await t.t.db.channel.update({ where: { id: channelId }, data: { defaultTeamId: support } });

    const res = await t.app.inject({
      method: "PATCH",
      url: `/api/admin/users/${carl.id}`,
      headers: as.admin!.headers,
      payload: { isActive: false },
    });
    expect(res.statusCode).toBe(200);
    const after = await Promise.all([open1, open2, teamless].map(conv));
    expect(after.every((c) => c.assigneeId !== carl.id)).toBe(true);
    expect(after.every((c) => c.teamId === support)).toBe(true); // the teamless one by the channel's default team
    expect(after.filter((c) => c.assigneeId === users.ben)).toHaveLength(1);
    expect(after.filter((c) => c.assigneeId === null && c.queuedAt !== null)).toHaveLength(2);
    expect((await conv(done)).assigneeId).toBe(carl.id);
    expect((await t.t.db.message.findFirstOrThrow({ where: { conversationId: open1, type: "text" } })).senderId).toBe(
      carl.id,
    );
    const lines = (await timeline(open1)).filter((m) => m.type === "system");
    expect(lines[0]!.text).toBe(
      "In der Warteschlange von Support (CARL wurde deaktiviert)\nWaiting in the queue of Support (CARL was deactivated)",
    );
    expect((await audits(open1)).map((a) => a.action)[0]).toBe("conversation.assignment.offboarding");
    await t.t.db.user.update({ where: { id: users.ben }, data: { availability: "offline" } });
  });
});

describe("GET /api/teams/dashboard", () => {
  it("gives leads their teams, admins all, agents 403, with the figures", async () => {
    const dash = (who: Agent) => t.app.inject({ method: "GET", url: "/api/teams/dashboard", headers: who.headers });
    expect((await dash(as.anna!)).statusCode).toBe(403);
    const team = await t.t.db.team.create({ data: { name: "Dashboard" } });
    const lead = await makeUser(t, "dlead@example.test", "lead", ["Dashboard"]);
    const dina = await makeUser(t, "dina@example.test", "agent", ["Dashboard"]);
    const emil = await makeUser(t, "emil@example.test", "agent", ["Dashboard"]);
    await t.t.db.user.update({ where: { id: dina.id }, data: { availability: "available", maxOpenConversations: 3 } });
    const now = Date.now();
    const minutes = (n: number) => new Date(now - n * 60_000);
    // Queue: two waiting, the oldest 10 minutes.
    const oldest = await conversation({ teamId: team.id, queuedAt: minutes(10), createdAt: minutes(10) });
    await conversation({ teamId: team.id, queuedAt: minutes(2), createdAt: minutes(2) });
    // Dina: two open. First responses today after 60 s, 120 s and 600 s: median 120 s. "Today" counts by the first
    // response (a second ago), so the test holds also in the minutes after midnight in Berlin.
    for (const seconds of [60, 120, 600]) {
      const firstResponseAt = new Date(now - 1000);
      await conversation({
        teamId: team.id,
        assigneeId: dina.id,
        status: seconds === 600 ? "resolved" : "open",
        createdAt: new Date(firstResponseAt.getTime() - seconds * 1000),
        firstResponseAt,
        resolvedAt: seconds === 600 ? new Date(now - 1000) : null,
      });
    }
    // Resolved long ago: not today.
    await conversation({ teamId: team.id, status: "resolved", resolvedAt: new Date(now - 3 * 86_400_000) });
    await t.t.db.absence.create({
      data: { userId: emil.id, startsAt: minutes(60), endsAt: null, substituteId: dina.id },
    });

    const res = await dash(await login(t, "dlead@example.test"));
    expect(res.statusCode).toBe(200);
    const body = res.json<TeamDashboard>();
    expect(body.teams.map((x) => x.name)).toEqual(["Dashboard"]);
    const d = body.teams[0]!;
    expect(d).toMatchObject({ queueLength: 2, openCount: 4, resolvedToday: 1, medianFirstResponseSeconds: 120 });
    expect(d.longestWaitSeconds).toBeGreaterThanOrEqual(600);
    expect(d.longestWaitSeconds).toBeLessThan(700);
    expect(d.queue[0]).toMatchObject({ conversationId: oldest, contactName: expect.stringMatching(/^Kunde/) });
    expect(d.agents.map((a) => a.userId).sort()).toEqual([lead.id, dina.id, emil.id].sort());
    expect(d.agents.find((a) => a.userId === dina.id)).toMatchObject({
      availability: "available",
      load: 2,
      maxOpenConversations: 3,
      absence: null,
      role: "member",
    });
    expect(d.agents.find((a) => a.userId === emil.id)!.absence).toEqual({ endsAt: null, substituteName: dina.name });
    expect(d.agents.find((a) => a.userId === lead.id)!.role).toBe("lead");

    const all = (await dash(as.admin!)).json<TeamDashboard>();
    expect(all.teams.map((x) => x.name)).toEqual(["Dashboard", "Sales", "Support"]);
    // The Support lead sees Support only.
    expect((await dash(as.lead!)).json<TeamDashboard>().teams.map((x) => x.name)).toEqual(["Support"]);
  });
});
