/** Vacation cover through HTTP with real sessions: who may set it, every refusal, handover and return. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { applyAbsences } from "@inbox/core";
import { createTestApp, login, makeUser, seedConversations, type Agent, type TestApp } from "../test/test-app";

let ta: TestApp;
const ids: Record<string, string> = {};
const as: Record<string, Agent> = {};
let teamA: string;
let teamB: string;
const hour = 3600_000;
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();

beforeAll(async () => {
  ta = await createTestApp();
  teamA = (await ta.t.db.team.create({ data: { name: "A" } })).id;
  teamB = (await ta.t.db.team.create({ data: { name: "B" } })).id;
  for (const [name, role, team] of [
    ["alice", "agent", teamA],
    ["bert", "agent", teamA],
    ["olga", "agent", teamB],
    ["lena", "lead", teamA],
    ["root", "admin", null],
  ] as const) {
    const u = await makeUser(ta, `${name}@example.test`, role);
    ids[name] = u.id;
    if (team)
      await ta.t.db.teamMembership.create({
        data: { userId: u.id, teamId: team, role: role === "lead" ? "lead" : "member" },
      });
    as[name] = await login(ta, `${name}@example.test`);
  }
});
afterAll(() => ta.close());

const post = (who: string, body: object) =>
  ta.app.inject({ method: "POST", url: "/api/absences", headers: as[who]!.headers, payload: body });
const del = (who: string, id: string) =>
  ta.app.inject({ method: "DELETE", url: `/api/absences/${id}`, headers: as[who]!.headers });

describe("absences", () => {
  it("agents for themselves, leads for their teams' members, admins for anyone; otherwise 403", async () => {
    const body = (userId: string, sub: string) => ({
      userId,
      startsAt: iso(10 * hour),
      endsAt: iso(20 * hour),
      substituteUserId: sub,
    });
    const own = await post("alice", body(ids.alice!, ids.bert!));
    expect(own.statusCode).toBe(201);
    expect(own.json()).toMatchObject({
      userId: ids.alice,
      substituteUserId: ids.bert,
      substituteUserName: "bert",
      handover: "all",
      isActive: false,
    });
    const colleague = await post("alice", body(ids.bert!, ids.alice!));
    expect(colleague.statusCode).toBe(403);
    expect(colleague.json()).toMatchObject({ code: "forbidden" });
    expect((await post("lena", body(ids.bert!, ids.alice!))).statusCode).toBe(201);
    expect((await post("lena", body(ids.olga!, ids.alice!))).json()).toMatchObject({ code: "forbidden" });
    expect((await post("root", { ...body(ids.olga!, ids.alice!), endsAt: null })).statusCode).toBe(201);
    // Listing: alice sees her own and the one she covers; the lead her team; the admin all.
    const list = async (who: string) =>
      (await ta.app.inject({ method: "GET", url: "/api/absences", headers: as[who]!.headers }))
        .json<{ items: { userId: string }[] }>()
        .items.map((a) => a.userId)
        .sort();
    expect(await list("alice")).toEqual([ids.alice, ids.bert, ids.olga].sort());
    expect(await list("lena")).toEqual([ids.alice, ids.bert].sort());
    expect(await list("olga")).toEqual([ids.olga]);
    expect(await list("root")).toHaveLength(3);
    // Deleting follows the same rule.
    const olgas = (await ta.t.db.absence.findFirstOrThrow({ where: { userId: ids.olga } })).id;
    expect((await del("alice", olgas)).statusCode).toBe(403);
    expect((await del("olga", olgas)).statusCode).toBe(204);
    expect(await ta.t.db.absence.count({ where: { userId: ids.olga } })).toBe(0);
  });

  it("refuses what cannot work with a clear 4xx code and stores nothing", async () => {
    const before = await ta.t.db.absence.count();
    const cases: [object, number, string][] = [
      [{ startsAt: iso(5 * hour), endsAt: iso(4 * hour), substituteUserId: ids.bert }, 400, "absence_period_invalid"],
      [{ startsAt: iso(-5 * hour), endsAt: iso(-4 * hour), substituteUserId: ids.bert }, 400, "absence_period_invalid"],
      [{ startsAt: iso(hour), endsAt: null }, 400, "absence_substitute_invalid"],
      [{ startsAt: iso(hour), substituteUserId: ids.bert, substituteTeamId: teamB }, 400, "absence_substitute_invalid"],
      [{ startsAt: iso(hour), substituteUserId: ids.olga, userId: ids.olga }, 403, "forbidden"],
      [{ startsAt: iso(hour), substituteUserId: ids.alice }, 400, "absence_substitute_invalid"],
      [{ startsAt: iso(hour), substituteUserId: randomUUID() }, 400, "absence_substitute_invalid"],
      [{ startsAt: iso(hour), substituteTeamId: randomUUID() }, 400, "absence_substitute_invalid"],
      [{ startsAt: iso(15 * hour), endsAt: iso(30 * hour), substituteUserId: ids.bert }, 409, "absence_overlaps"],
      [{ startsAt: "tomorrow", substituteUserId: ids.bert }, 400, "validation_failed"],
    ];
    for (const [body, status, code] of cases) {
      const res = await post("alice", { userId: ids.alice, ...body });
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json()).toMatchObject({ code });
    }
    expect(await ta.t.db.absence.count()).toBe(before);
    expect((await del("alice", randomUUID())).statusCode).toBe(404);
  });

  it("hands open conversations over at the start and gives them back at the end when asked", async () => {
    const { ids: convs } = await seedConversations(ta, { count: 3, teamIds: [teamA], assigneeIds: [ids.bert!] });
    await ta.t.db.conversation.update({
      where: { id: convs[2]! },
      data: { status: "resolved", activeContactId: null },
    });
    await ta.t.db.absence.deleteMany({ where: { userId: ids.bert } });
    const res = await post("lena", {
      userId: ids.bert,
      startsAt: iso(-1000),
      endsAt: null,
      substituteUserId: ids.alice,
      handover: "all",
      returnAtEnd: true,
    });
    expect(res.statusCode).toBe(201);
    const state = async () =>
      (await ta.t.db.conversation.findMany({ where: { id: { in: convs } }, orderBy: { createdAt: "asc" } })).map(
        (c) => [c.assigneeId, c.coveredForId],
      );
    expect(await state()).toEqual([
      [ids.alice, ids.bert],
      [ids.alice, ids.bert],
      [ids.bert, null], // resolved: history stays with bert
    ]);
    const listed = (await ta.app.inject({ method: "GET", url: "/api/absences", headers: as.alice!.headers })).json<{
      items: { userId: string; isActive: boolean; substituteUserName: string }[];
    }>();
    expect(listed.items.find((a) => a.userId === ids.bert)).toMatchObject({
      isActive: true,
      substituteUserName: "alice",
    });
    // Ending the absence (DELETE of a running one) returns them.
    expect((await del("bert", res.json<{ id: string }>().id)).statusCode).toBe(204);
    expect(await state()).toEqual([
      [ids.bert, null],
      [ids.bert, null],
      [ids.bert, null],
    ]);
  });

  it("with handover none, a conversation moves to the substitute team when the customer writes again", async () => {
    const { ids: convs } = await seedConversations(ta, { count: 2, teamIds: [teamA], assigneeIds: [ids.alice!] });
    await ta.t.db.absence.deleteMany({ where: { userId: ids.alice } });
    const startsAt = new Date(Date.now() - 1000);
    expect(
      (
        await post("alice", {
          userId: ids.alice,
          startsAt: startsAt.toISOString(),
          substituteTeamId: teamB,
          handover: "none",
        })
      ).statusCode,
    ).toBe(201);
    expect((await ta.t.db.conversation.findUniqueOrThrow({ where: { id: convs[0]! } })).assigneeId).toBe(ids.alice);
    await ta.t.db.conversation.update({ where: { id: convs[0]! }, data: { lastInboundAt: new Date() } });
    await applyAbsences(ta.t.db, new Date());
    expect(await ta.t.db.conversation.findUniqueOrThrow({ where: { id: convs[0]! } })).toMatchObject({
      assigneeId: null,
      teamId: teamB,
      coveredForId: ids.alice,
    });
    expect((await ta.t.db.conversation.findUniqueOrThrow({ where: { id: convs[1]! } })).assigneeId).toBe(ids.alice);
  });

  it("a customer message in the absence's first second counts: WhatsApp timestamps are whole seconds", async () => {
    const { ids: convs } = await seedConversations(ta, { count: 2, teamIds: [teamA], assigneeIds: [ids.alice!] });
    await ta.t.db.absence.deleteMany({ where: { userId: ids.alice } });
    // The absence starts 572 ms into a second; the customer writes 100 ms later, stored with the provider's
    // timestamp of that whole second (before startsAt to the millisecond).
    const second = Math.floor((Date.now() - 3000) / 1000) * 1000;
    const startsAt = new Date(second + 572);
    expect(
      (
        await post("alice", {
          userId: ids.alice,
          startsAt: startsAt.toISOString(),
          substituteUserId: ids.bert,
          handover: "none",
        })
      ).statusCode,
    ).toBe(201);
    await ta.t.db.conversation.update({ where: { id: convs[0]! }, data: { lastInboundAt: new Date(second) } });
    // Written a second before the absence started: stays.
    await ta.t.db.conversation.update({ where: { id: convs[1]! }, data: { lastInboundAt: new Date(second - 1000) } });
    await applyAbsences(ta.t.db, new Date());
    expect(await ta.t.db.conversation.findUniqueOrThrow({ where: { id: convs[0]! } })).toMatchObject({
      assigneeId: ids.bert,
      coveredForId: ids.alice,
    });
    expect((await ta.t.db.conversation.findUniqueOrThrow({ where: { id: convs[1]! } })).assigneeId).toBe(ids.alice);
  });
  it("a substitute deactivated after the absence was set gets nothing: the conversation waits in its team's queue", async () => {
    const dora = await makeUser(ta, "dora@example.test", "agent");
    await ta.t.db.teamMembership.create({ data: { userId: dora.id, teamId: teamA, role: "member" } });
    const { ids: convs } = await seedConversations(ta, { count: 1, teamIds: [teamA], assigneeIds: [ids.alice!] });
    await ta.t.db.absence.deleteMany({ where: { userId: ids.alice } });
    expect(
      (
        await post("alice", {
          userId: ids.alice,
          startsAt: iso(-1000),
          substituteUserId: dora.id,
          handover: "none",
        })
      ).statusCode,
    ).toBe(201);
    await ta.t.db.user.update({ where: { id: dora.id }, data: { isActive: false } });
    await ta.t.db.conversation.update({ where: { id: convs[0]! }, data: { lastInboundAt: new Date() } });
    await applyAbsences(ta.t.db, new Date());
    const after = await ta.t.db.conversation.findUniqueOrThrow({ where: { id: convs[0]! } });
    expect(after).toMatchObject({ assigneeId: null, teamId: teamA, coveredForId: ids.alice });
    expect(after.queuedAt).not.toBeNull();
  });
});
