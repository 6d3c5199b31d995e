import { describe, expect, it } from "vitest";
import { canAccessConversation } from "./can-access-conversation";

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
