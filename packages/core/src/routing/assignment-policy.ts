import type { AssignmentMode } from "@inbox/contracts";

/** An agent who may be auto-assigned (available, present if required, not absent), with their current load. */
export interface AssignmentCandidate {
  userId: string;
  /** Open (not resolved) conversations assigned to them now. */
  load: number;
  /** null: no limit. */
  maxOpenConversations: number | null;
  lastAssignedAt: Date | null;
}

export function hasCapacity(c: Pick<AssignmentCandidate, "load" | "maxOpenConversations">): boolean {
  return c.maxOpenConversations === null || c.load < c.maxOpenConversations;
}

const byLastAssigned = (a: AssignmentCandidate, b: AssignmentCandidate) =>
  (a.lastAssignedAt?.getTime() ?? -Infinity) - (b.lastAssignedAt?.getTime() ?? -Infinity) ||
  a.userId.localeCompare(b.userId);

/**
 * Who gets the next conversation: round robin — the candidate under capacity assigned longest ago (never first);
 * least loaded — the fewest open conversations, ties by longest ago. `manual` assigns nobody. null: nobody can.
 */
export function pickAgent(candidates: readonly AssignmentCandidate[], mode: AssignmentMode): string | null {
  return rankAgents(candidates, mode)[0]?.userId ?? null;
}

/**
 * The candidates under capacity in the order the mode prefers them (pickAgent's choice first): concurrent assigners
 * try them in this order and skip one another's locked agents instead of queueing behind the same one.
 */
export function rankAgents(candidates: readonly AssignmentCandidate[], mode: AssignmentMode): AssignmentCandidate[] {
  if (mode === "manual") return [];
  return candidates
    .filter(hasCapacity)
    .sort(mode === "least_loaded" ? (a, b) => a.load - b.load || byLastAssigned(a, b) : byLastAssigned);
}

/** One conversation for one agent, with the agent's new lastAssignedAt (round robin's order key). */
export interface PlannedAssignment {
  conversationId: string;
  userId: string;
  stampedAt: Date;
}

/**
 * Hands `conversationIds` (queue order) to the candidates by the mode, one at a time as the mode prefers them
 * (round robin: assigned longest ago; least loaded: fewest open), counting each assignment against the agent's load
 * and capacity. Every assignment gets its own lastAssignedAt stamp, later than any the candidates carry, so round
 * robin keeps its order within the batch and across batches. Pure.
 */
export function planAssignments(
  conversationIds: readonly string[],
  candidates: readonly AssignmentCandidate[],
  mode: AssignmentMode,
  now: Date,
): PlannedAssignment[] {
  const pool = candidates.map((c) => ({ ...c }));
  const latest = Math.max(now.getTime(), ...pool.map((c) => (c.lastAssignedAt?.getTime() ?? 0) + 1));
  const plan: PlannedAssignment[] = [];
  for (const conversationId of conversationIds) {
    const chosen = rankAgents(pool, mode)[0];
    if (!chosen) break;
    const stampedAt = new Date(latest + plan.length);
    chosen.load++; // rankAgents orders the pool's own objects
    chosen.lastAssignedAt = stampedAt;
    plan.push({ conversationId, userId: chosen.userId, stampedAt });
  }
  return plan;
}

export interface AbsencePeriod {
  startsAt: Date;
  /** null: until further notice. */
  endsAt: Date | null;
}

/** True while the absence runs: from its start (inclusive) to its end (exclusive); instants, so time zones and DST do not matter. */
export function isAbsentAt(absence: AbsencePeriod, at: Date): boolean {
  return (
    absence.startsAt.getTime() <= at.getTime() && (absence.endsAt === null || at.getTime() < absence.endsAt.getTime())
  );
}

/** Queue order: waiting longest first (then by id, so every process agrees). */
export function compareQueued(a: { queuedAt: Date; id: string }, b: { queuedAt: Date; id: string }): number {
  return a.queuedAt.getTime() - b.queuedAt.getTime() || a.id.localeCompare(b.id);
}
