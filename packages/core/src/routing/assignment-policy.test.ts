import { describe, expect, it } from "vitest";
import {
  compareQueued,
  hasCapacity,
  isAbsentAt,
  pickAgent,
  planAssignments,
  rankAgents,
  type AssignmentCandidate,
} from "./assignment-policy";

const agent = (userId: string, load = 0, max: number | null = 10, last: Date | null = null): AssignmentCandidate => ({
  userId,
  load,
  maxOpenConversations: max,
  lastAssignedAt: last,
});

/** Assigns `n` conversations one by one as the assigner does, updating load and lastAssignedAt. */
function simulate(candidates: AssignmentCandidate[], mode: "round_robin" | "least_loaded", n: number) {
  const counts = new Map(candidates.map((c) => [c.userId, 0]));
  let clock = 1_000;
  for (let i = 0; i < n; i++) {
    const id = pickAgent(candidates, mode);
    if (!id) break;
    const c = candidates.find((x) => x.userId === id)!;
    c.load++;
    c.lastAssignedAt = new Date(clock++);
    counts.set(id, counts.get(id)! + 1);
  }
  return counts;
}

describe("pickAgent", () => {
  it("round robin is fair: over many assignments no agent gets more than one more than another", () => {
    const counts = simulate(
      [agent("a", 3), agent("b"), agent("c", 1), agent("d")].map((c) => ({ ...c, maxOpenConversations: null })),
      "round_robin",
      103,
    );
    const values = [...counts.values()];
    expect(values.reduce((s, v) => s + v, 0)).toBe(103);
    expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
  });

  it("round robin starts with whoever was never assigned, then the one assigned longest ago", () => {
    expect(pickAgent([agent("a", 0, 10, new Date(5)), agent("b", 0, 10, null)], "round_robin")).toBe("b");
    expect(pickAgent([agent("a", 0, 10, new Date(5)), agent("b", 0, 10, new Date(3))], "round_robin")).toBe("b");
  });

  it("least loaded takes the agent with the fewest open conversations and evens loads out", () => {
    expect(pickAgent([agent("a", 4), agent("b", 2), agent("c", 3)], "least_loaded")).toBe("b");
    const team = [agent("a", 5), agent("b", 0), agent("c", 2)];
    simulate(team, "least_loaded", 8);
    expect(team.map((c) => c.load)).toEqual([5, 5, 5]);
  });

  it("never exceeds capacity: agents at their limit are skipped, and nobody is picked when all are full", () => {
    expect(pickAgent([agent("a", 2, 2), agent("b", 9, 10)], "round_robin")).toBe("b");
    expect(pickAgent([agent("a", 2, 2), agent("b", 10, 10)], "least_loaded")).toBeNull();
    const team = [agent("a", 0, 3), agent("b", 0, 1), agent("c", 0, null)];
    const counts = simulate(team, "round_robin", 20);
    expect(counts.get("a")).toBe(3);
    expect(counts.get("b")).toBe(1);
    expect(counts.get("c")).toBe(16);
    expect(hasCapacity({ load: 3, maxOpenConversations: 3 })).toBe(false);
    expect(hasCapacity({ load: 300, maxOpenConversations: null })).toBe(true);
  });

  it("assigns nobody in manual mode or without candidates", () => {
    expect(pickAgent([agent("a")], "manual")).toBeNull();
    expect(pickAgent([], "round_robin")).toBeNull();
  });
});

describe("queue order", () => {
  it("is oldest first, ties by id", () => {
    const q = [
      { id: "c", queuedAt: new Date("2026-12-02T10:00:02Z") },
      { id: "b", queuedAt: new Date("2026-12-02T10:00:01Z") },
      { id: "a", queuedAt: new Date("2026-12-02T10:00:02Z") },
    ];
    expect([...q].sort(compareQueued).map((x) => x.id)).toEqual(["b", "a", "c"]);
  });
});

describe("isAbsentAt", () => {
  it("runs from the start (inclusive) to the end (exclusive); no end means until further notice", () => {
    const a = { startsAt: new Date("2026-12-24T00:00:00Z"), endsAt: new Date("2026-12-27T00:00:00Z") };
    expect(isAbsentAt(a, new Date("2026-12-23T23:59:59Z"))).toBe(false);
    expect(isAbsentAt(a, new Date("2026-12-24T00:00:00Z"))).toBe(true);
    expect(isAbsentAt(a, new Date("2026-12-26T23:59:59Z"))).toBe(true);
    expect(isAbsentAt(a, new Date("2026-12-27T00:00:00Z"))).toBe(false);
    expect(isAbsentAt({ startsAt: a.startsAt, endsAt: null }, new Date("2030-01-01T00:00:00Z"))).toBe(true);
  });

  it("holds across DST changes and time zones: an absence entered in Berlin local time ends at local midnight", () => {
    // Berlin leaves summer time on 25 Oct 2026 (03:00 CEST → 02:00 CET): a week's absence is 7 days + 1 hour long.
    const startsAt = new Date("2026-10-19T00:00:00+02:00");
    const endsAt = new Date("2026-10-26T00:00:00+01:00");
    expect(endsAt.getTime() - startsAt.getTime()).toBe(7 * 24 * 3600_000 + 3600_000);
    const absence = { startsAt, endsAt };
    expect(isAbsentAt(absence, new Date("2026-10-25T23:30:00+01:00"))).toBe(true);
    expect(isAbsentAt(absence, new Date("2026-10-25T22:59:59Z"))).toBe(true);
    expect(isAbsentAt(absence, new Date("2026-10-25T23:00:00Z"))).toBe(false);
    // The same instant written in New York time is the same instant.
    expect(isAbsentAt(absence, new Date("2026-10-25T18:59:59-04:00"))).toBe(true);
    // Spring forward (29 Mar 2026, 02:00 CET → 03:00 CEST): an absence ending at 03:30 local is over at 01:30Z.
    const spring = { startsAt: new Date("2026-03-28T00:00:00+01:00"), endsAt: new Date("2026-03-29T03:30:00+02:00") };
    expect(isAbsentAt(spring, new Date("2026-03-29T01:29:59Z"))).toBe(true);
    expect(isAbsentAt(spring, new Date("2026-03-29T01:30:00Z"))).toBe(false);
  });
});

describe("rankAgents (the order concurrent assigners try agents in)", () => {
  it("leaves out agents at capacity and puts pickAgent's choice first", () => {
    const candidates = [
      agent("a", 2, 2, new Date(1)),
      agent("b", 0, 5, new Date(30)),
      agent("c", 4, 5, new Date(10)),
      agent("d", 1, null, null),
    ];
    expect(rankAgents(candidates, "round_robin").map((c) => c.userId)).toEqual(["d", "c", "b"]);
    expect(rankAgents(candidates, "least_loaded").map((c) => c.userId)).toEqual(["b", "d", "c"]);
    for (const mode of ["round_robin", "least_loaded"] as const) {
      expect(rankAgents(candidates, mode)[0]?.userId).toBe(pickAgent(candidates, mode));
    }
    expect(rankAgents(candidates, "manual")).toEqual([]);
    expect(rankAgents([agent("a", 3, 3)], "round_robin")).toEqual([]);
  });
});

describe("planAssignments (one batch of the queue in one transaction)", () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `conv-${i}`);

  it("round robin inside a batch is the same order as one assignment at a time, and stays fair across batches", () => {
    const team = () => [
      agent("a", 0, null, new Date(50)),
      agent("b", 0, null, null),
      agent("c", 0, null, new Date(20)),
    ];
    const oneByOne = simulate(team(), "round_robin", 7);
    const plan = planAssignments(ids(7), team(), "round_robin", new Date(1_000));
    expect(plan.map((p) => p.userId)).toEqual(["b", "c", "a", "b", "c", "a", "b"]);
    const counts = new Map<string, number>();
    for (const p of plan) counts.set(p.userId, (counts.get(p.userId) ?? 0) + 1);
    expect(counts).toEqual(oneByOne);
    // Each assignment has its own, later stamp: the next batch continues where this one ended (c, a, b, …).
    expect(plan.map((p) => p.stampedAt.getTime())).toEqual([1000, 1001, 1002, 1003, 1004, 1005, 1006]);
    const after = team().map((c) => ({
      ...c,
      lastAssignedAt: plan.filter((p) => p.userId === c.userId).at(-1)!.stampedAt,
    }));
    expect(planAssignments(ids(3), after, "round_robin", new Date(900)).map((p) => p.userId)).toEqual(["c", "a", "b"]);
  });

  it("stamps after the latest stamp the agents carry, even when the clock is behind it", () => {
    const plan = planAssignments(
      ids(2),
      [agent("a", 0, null, new Date(5_000)), agent("b")],
      "round_robin",
      new Date(10),
    );
    expect(plan.map((p) => [p.userId, p.stampedAt.getTime()])).toEqual([
      ["b", 5_001],
      ["a", 5_002],
    ]);
  });

  it("never plans beyond capacity: the rest of the batch stays in the queue", () => {
    const plan = planAssignments(
      ids(10),
      [agent("a", 1, 3), agent("b", 4, 5), agent("c", 2, 2)],
      "least_loaded",
      new Date(0),
    );
    expect(plan.map((p) => p.userId).sort()).toEqual(["a", "a", "b"]);
    expect(plan.map((p) => p.conversationId)).toEqual(["conv-0", "conv-1", "conv-2"]);
    expect(planAssignments(ids(3), [agent("a")], "manual", new Date(0))).toEqual([]);
  });

  it("least loaded evens the loads out inside a batch", () => {
    const team = [agent("a", 5), agent("b", 0), agent("c", 2)];
    const plan = planAssignments(ids(8), team, "least_loaded", new Date(0));
    const loads = { a: 5, b: 0, c: 2 } as Record<string, number>;
    for (const p of plan) loads[p.userId]!++;
    expect(loads).toEqual({ a: 5, b: 5, c: 5 });
    expect(team.map((c) => c.load)).toEqual([5, 0, 2]); // the caller's candidates are left as they were
  });
});
