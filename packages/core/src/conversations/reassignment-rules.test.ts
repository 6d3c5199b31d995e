import { describe, expect, it } from "vitest";
import { AppError } from "../errors/app-error";
import type { AccessUser } from "./can-access-conversation";
import { assertMayReassign, type ReassignTarget } from "./reassignment-rules";

const SUPPORT = "00000000-0000-4000-8000-0000000000a1";
const SALES = "00000000-0000-4000-8000-0000000000a2";
const agent: AccessUser = { id: "agent", role: "agent", teamIds: [SUPPORT] };
const lead: AccessUser = { id: "lead", role: "lead", teamIds: [SUPPORT, SALES] };
const admin: AccessUser = { id: "admin", role: "admin", teamIds: [] };
const conv = (teamId: string | null, assigneeId: string | null) => ({ id: "c", teamId, assigneeId });

function refusal(user: AccessUser, led: string[], c: ReturnType<typeof conv>, target: ReassignTarget) {
  try {
    assertMayReassign(user, led, c, target);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).code;
  }
}

describe("assertMayReassign (who may move a conversation where)", () => {
  it("agents take unassigned conversations of their own teams, not of other teams", () => {
    expect(refusal(agent, [], conv(SUPPORT, null), { assigneeId: "agent" })).toBeNull();
    expect(refusal(agent, [], conv(SALES, null), { assigneeId: "agent" })).toBe("assignment_forbidden");
    expect(refusal(agent, [], conv(null, null), { assigneeId: "agent" })).toBe("assignment_forbidden");
  });

  it("agents give back and hand over their own, and hand over their team's unassigned ones", () => {
    expect(refusal(agent, [], conv(SUPPORT, "agent"), { assigneeId: null })).toBeNull();
    expect(refusal(agent, [], conv(SUPPORT, "agent"), { teamId: SALES })).toBeNull();
    expect(refusal(agent, [], conv(SUPPORT, null), { teamId: SALES })).toBeNull();
  });

  it("agents never take from a colleague, unassign a colleague, hand a colleague's away or assign to others", () => {
    expect(refusal(agent, [], conv(SUPPORT, "colleague"), { assigneeId: "agent" })).toBe("assignment_forbidden");
    expect(refusal(agent, [], conv(SUPPORT, "colleague"), { assigneeId: null })).toBe("assignment_forbidden");
    expect(refusal(agent, [], conv(SUPPORT, "colleague"), { teamId: SALES })).toBe("assignment_forbidden");
    expect(refusal(agent, [], conv(SUPPORT, null), { assigneeId: "colleague" })).toBe("assignment_forbidden");
    expect(refusal(agent, [], conv(SUPPORT, "agent"), { assigneeId: "colleague" })).toBe("assignment_forbidden");
  });

  it("leads reassign between colleagues only in the teams they lead", () => {
    expect(refusal(lead, [SUPPORT], conv(SUPPORT, "colleague"), { assigneeId: "other" })).toBeNull();
    expect(refusal(lead, [SUPPORT], conv(SUPPORT, "colleague"), { teamId: SALES })).toBeNull();
    expect(refusal(lead, [SUPPORT], conv(SUPPORT, null), { assigneeId: "other" })).toBeNull();
    // A member (not lead) of Sales: like an agent there.
    expect(refusal(lead, [SUPPORT], conv(SALES, "colleague"), { assigneeId: "lead" })).toBe("assignment_forbidden");
    expect(refusal(lead, [SUPPORT], conv(SALES, null), { assigneeId: "other" })).toBe("assignment_forbidden");
    expect(refusal(lead, [SUPPORT], conv(SALES, null), { assigneeId: "lead" })).toBeNull();
    expect(refusal(lead, [SUPPORT], conv(null, "colleague"), { assigneeId: "lead" })).toBe("assignment_forbidden");
  });

  it("admins may do anything", () => {
    expect(refusal(admin, [], conv(SALES, "colleague"), { assigneeId: "other", teamId: SUPPORT })).toBeNull();
    expect(refusal(admin, [], conv(null, "colleague"), { assigneeId: null })).toBeNull();
  });
});
