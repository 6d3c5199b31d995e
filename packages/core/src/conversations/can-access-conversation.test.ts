import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@inbox/db/testing";
import { Prisma } from "@inbox/db";
import {
  accessibleConversationSql,
  accessibleConversationsWhere,
  canAccessConversation,
} from "./can-access-conversation";

const agent = { id: "a", role: "agent" as const, teamIds: ["t1"] };
const lead = { id: "l", role: "lead" as const, teamIds: ["t1"] };
const admin = { id: "x", role: "admin" as const, teamIds: [] };

describe("canAccessConversation", () => {
  it("agents see their teams' conversations and those assigned to them, nothing else", () => {
    expect(canAccessConversation(agent, { teamId: "t1", assigneeId: null })).toBe(true);
    expect(canAccessConversation(agent, { teamId: "t2", assigneeId: "a" })).toBe(true);
    expect(canAccessConversation(agent, { teamId: "t2", assigneeId: null })).toBe(false);
    expect(canAccessConversation(agent, { teamId: null, assigneeId: null })).toBe(false);
    expect(canAccessConversation(agent, { teamId: "t2", assigneeId: "someone" })).toBe(false);
  });
  it("leads see their teams, not other teams; team-less conversations only when admins chose so", () => {
    expect(canAccessConversation(lead, { teamId: "t1", assigneeId: "a" })).toBe(true);
    expect(canAccessConversation(lead, { teamId: "t2", assigneeId: null })).toBe(false);
    expect(canAccessConversation(lead, { teamId: null, assigneeId: null })).toBe(false);
    expect(
      canAccessConversation({ ...lead, seesTeamlessConversations: true }, { teamId: null, assigneeId: null }),
    ).toBe(true);
    // The setting is for leads: an agent never gets team-less conversations from it.
    expect(
      canAccessConversation({ ...agent, seesTeamlessConversations: true }, { teamId: null, assigneeId: null }),
    ).toBe(false);
  });
  it("admins see everything", () => {
    expect(canAccessConversation(admin, { teamId: "t9", assigneeId: "z" })).toBe(true);
  });
});

const sqlArgs = (query: Prisma.Sql): [string, unknown[]] => [query.text, query.values];

describe("accessibleConversationsWhere and accessibleConversationSql", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it("selects exactly the conversations canAccessConversation allows, for every role and ownership", async () => {
    const [t1, t2] = await Promise.all(["T1", "T2"].map((name) => t.db.team.create({ data: { name } })));
    const [me, colleague] = await Promise.all(
      ["me", "colleague"].map((name) =>
        t.db.user.create({ data: { email: `${name}@example.test`, name, passwordHash: "x", role: "agent" } }),
      ),
    );
    const channel = await t.db.channel.create({
      data: { type: "whatsapp", name: "WA", externalId: "100000000000077" },
    });
    let n = 0;
    // Every combination of team (mine, another, none) and assignee (me, a colleague, nobody).
    for (const teamId of [t1!.id, t2!.id, null]) {
      for (const assigneeId of [me!.id, colleague!.id, null]) {
        const contact = await t.db.contact.create({ data: { channelId: channel.id, waId: `4915000000${++n}` } });
        await t.db.conversation.create({ data: { channelId: channel.id, contactId: contact.id, teamId, assigneeId } });
      }
    }
    const all = await t.db.conversation.findMany({ select: { id: true, teamId: true, assigneeId: true } });
    for (const role of ["agent", "lead", "admin"] as const) {
      for (const user of [
        { id: me!.id, role, teamIds: [t1!.id] },
        { id: me!.id, role, teamIds: [], seesTeamlessConversations: true },
      ]) {
        const filtered = await t.db.conversation.findMany({
          where: accessibleConversationsWhere(user),
          select: { id: true },
        });
        const allowed = all.filter((c) => canAccessConversation(user, c)).map((c) => c.id);
        expect(filtered.map((c) => c.id).sort()).toEqual(allowed.sort());
        // The SQL form says true or false (never NULL) for each conversation, as canAccessConversation does.
        const rows = await t.pgPool.query<{ id: string; isAllowed: boolean }>(
          ...sqlArgs(Prisma.sql`SELECT c."id", ${accessibleConversationSql(user, Prisma.sql`c`)} AS "isAllowed"
                                 FROM "Conversation" c`),
        );
        const byId = new Map(rows.rows.map((r) => [r.id, r.isAllowed]));
        for (const c of all)
          expect(byId.get(c.id), `${role} ${JSON.stringify(c)}`).toBe(canAccessConversation(user, c));
      }
    }
  });
});
