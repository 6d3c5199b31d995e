import { Prisma, sqlTimestamp, type Db, type DbTx } from "@inbox/db";
import { rankAgents, type AssignmentCandidate } from "./assignment-policy";
import { recordAssignmentChanges, type AssignmentReason } from "./record-assignment-changes";

/** What auto-assignment needs: the database, who has the console open, the time. */
export interface AssignmentDeps {
  db: Db;
  /** Ids of users with the console open (presence); only consulted for teams that require presence. */
  onlineUserIds: () => Promise<string[]>;
  clock?: () => Date;
}

export interface Assignment {
  conversationId: string;
  userId: string;
}

/**
 * Agents of the team who may be auto-assigned now, locked (in id order: no deadlocks) so that a concurrent assigner
 * in another process waits and then counts the load this one wrote: capacity can never be exceeded.
 */
async function lockCandidates(
  tx: DbTx,
  teamId: string,
  requirePresence: boolean,
  online: string[],
  now: Date,
  onlyUserId?: string,
): Promise<AssignmentCandidate[]> {
  const rows = await tx.$queryRaw<{ id: string; max: number | null; last: Date | null }[]>`
    SELECT u.id, u."maxOpenConversations" AS max, u."lastAssignedAt" AS last
      FROM "User" u JOIN "TeamMembership" m ON m."userId" = u.id AND m."teamId" = ${teamId}::uuid
     WHERE u."isActive" AND u.availability = 'available'
       AND (${!requirePresence} OR u.id = ANY(${online}::uuid[]))
       AND (${onlyUserId ?? null}::uuid IS NULL OR u.id = ${onlyUserId ?? null}::uuid)
       AND NOT EXISTS (SELECT 1 FROM "Absence" a WHERE a."userId" = u.id AND a."startsAt" <= ${sqlTimestamp(now)}
                         AND (a."endsAt" IS NULL OR a."endsAt" > ${sqlTimestamp(now)}))
     ORDER BY u.id
       FOR UPDATE OF u`;
  if (rows.length === 0) return [];
  const loads = await tx.$queryRaw<{ id: string; load: number }[]>`
    SELECT "assigneeId" AS id, count(*)::int AS load FROM "Conversation"
     WHERE "assigneeId" = ANY(${rows.map((r) => r.id)}::uuid[]) AND status <> 'resolved'
     GROUP BY "assigneeId"`;
  const loadOf = new Map(loads.map((l) => [l.id, l.load]));
  return rows.map((r) => ({
    userId: r.id,
    load: loadOf.get(r.id) ?? 0,
    maxOpenConversations: r.max,
    lastAssignedAt: r.last,
  }));
}

/**
 * Gives an unassigned conversation to the user; with a reason, the change is a timeline line and an audit entry
 * (null: the caller records the net change itself, e.g. a reopened conversation that stays with its agent).
 */
async function assignTo(
  tx: DbTx,
  conversationId: string,
  userId: string,
  now: Date,
  reason: AssignmentReason | null,
): Promise<boolean> {
  // One round trip: the conversation, and the agent's lastAssignedAt (round robin) only if the conversation moved.
  const rows = await tx.$queryRaw<{ teamId: string | null }[]>`
    WITH moved AS (
      UPDATE "Conversation" SET "assigneeId" = ${userId}::uuid, "assignedAt" = ${sqlTimestamp(now)}, "queuedAt" = NULL,
             "updatedAt" = ${sqlTimestamp(now)}
       WHERE id = ${conversationId}::uuid AND "assigneeId" IS NULL
      RETURNING "teamId"
    ), agent AS (
      UPDATE "User" SET "lastAssignedAt" = ${sqlTimestamp(now)}
       WHERE id = ${userId}::uuid AND EXISTS (SELECT 1 FROM moved)
    )
    SELECT "teamId" FROM moved`;
  if (!rows.length) return false;
  if (reason) {
    const change = { conversationId, fromUserId: null, toUserId: userId, teamId: rows[0]!.teamId, reason };
    await recordAssignmentChanges(tx, { type: "system" }, [change], now);
  }
  return true;
}

/**
 * The team's agents who may be auto-assigned now (active, available, present when required, not absent) with their
 * load — read without locks: the choice is checked again under the chosen agent's lock (lockAgentWithRoom).
 */
async function readCandidates(
  tx: DbTx,
  teamId: string,
  requirePresence: boolean,
  online: string[],
  now: Date,
  onlyUserId?: string,
): Promise<AssignmentCandidate[]> {
  const rows = await tx.$queryRaw<{ id: string; max: number | null; last: Date | null; load: number }[]>`
    SELECT u.id, u."maxOpenConversations" AS max, u."lastAssignedAt" AS last,
           (SELECT count(*) FROM "Conversation" c WHERE c."assigneeId" = u.id AND c.status <> 'resolved')::int AS load
      FROM "User" u JOIN "TeamMembership" m ON m."userId" = u.id AND m."teamId" = ${teamId}::uuid
     WHERE u."isActive" AND u.availability = 'available'
       AND (${!requirePresence} OR u.id = ANY(${online}::uuid[]))
       AND (${onlyUserId ?? null}::uuid IS NULL OR u.id = ${onlyUserId ?? null}::uuid)
       AND NOT EXISTS (SELECT 1 FROM "Absence" a WHERE a."userId" = u.id AND a."startsAt" <= ${sqlTimestamp(now)}
                         AND (a."endsAt" IS NULL OR a."endsAt" > ${sqlTimestamp(now)}))`;
  return rows.map((r) => ({ userId: r.id, load: r.load, maxOpenConversations: r.max, lastAssignedAt: r.last }));
}

/** Locks the agent's row (or skips it when another assigner holds it) and counts their load under the lock. */
async function lockIfRoom(tx: DbTx, userId: string, skipLocked: boolean): Promise<"room" | "full" | "locked"> {
  const lock = skipLocked ? Prisma.sql`FOR UPDATE SKIP LOCKED` : Prisma.sql`FOR UPDATE`;
  const [row] = await tx.$queryRaw<{ max: number | null }[]>(Prisma.sql`
    SELECT "maxOpenConversations" AS max FROM "User"
     WHERE id = ${userId}::uuid AND "isActive" AND availability = 'available' ${lock}`);
  if (!row) return skipLocked ? "locked" : "full";
  // A new statement under the lock: it sees every assignment committed by whoever held the lock before.
  const [{ load } = { load: 0 }] = await tx.$queryRaw<{ load: number }[]>`
    SELECT count(*)::int AS load FROM "Conversation" WHERE "assigneeId" = ${userId}::uuid AND status <> 'resolved'`;
  return row.max === null || load < row.max ? "room" : "full";
}

/**
 * The first agent in the mode's order who still has room, holding their row lock until the transaction ends: capacity
 * is counted under the lock, so it can never be exceeded. Agents another assigner is locking are skipped (no
 * queueing behind one agent). Only when every one was skipped does it wait, for the preferred agent alone — holding
 * no agent lock itself, so it can never be part of a deadlock. null: nobody has room now (the assigners holding the
 * other agents go on draining the queue, and the routing tick follows up).
 */
async function lockAgentWithRoom(tx: DbTx, ranked: readonly AssignmentCandidate[]): Promise<string | null> {
  let isAnyLocked = false;
  for (const c of ranked) {
    const state = await lockIfRoom(tx, c.userId, true);
    if (state === "room") return c.userId;
    if (state === "full") isAnyLocked = true;
  }
  const first = ranked[0];
  if (isAnyLocked || !first) return null;
  return (await lockIfRoom(tx, first.userId, false)) === "room" ? first.userId : null;
}

/**
 * Assigns the team's queue, oldest first, to the agents who can take it (available, present when the team requires
 * it, not absent, under capacity), by the team's mode, until the queue is empty or nobody can take more. Each
 * assignment is its own short transaction: the oldest waiting conversation is claimed with SKIP LOCKED (two
 * processes never take the same one) and only the chosen agent is row-locked (capacity is counted under the lock),
 * so assigners in several processes work in parallel on different agents.
 */
export async function assignQueuedConversations(
  deps: AssignmentDeps,
  teamId: string,
  options: { limit?: number; onlyUserId?: string } = {},
): Promise<Assignment[]> {
  const team = await deps.db.team.findUnique({
    where: { id: teamId },
    select: { assignmentStrategy: true, requirePresence: true },
  });
  if (!team || team.assignmentStrategy === "manual") return [];
  const online = team.requirePresence ? await deps.onlineUserIds() : [];
  const done: Assignment[] = [];
  const limit = options.limit ?? 500;
  while (done.length < limit) {
    const now = deps.clock?.() ?? new Date();
    const assigned = await deps.db.$transaction(async (tx) => {
      const [next] = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM "Conversation"
         WHERE "teamId" = ${teamId}::uuid AND "assigneeId" IS NULL AND "queuedAt" IS NOT NULL AND status <> 'resolved'
         ORDER BY "queuedAt", id
         LIMIT 1 FOR UPDATE SKIP LOCKED`;
      if (!next) return null;
      const candidates = await readCandidates(tx, teamId, team.requirePresence, online, now, options.onlyUserId);
      const userId = await lockAgentWithRoom(tx, rankAgents(candidates, team.assignmentStrategy));
      if (!userId) return null;
      return (await assignTo(tx, next.id, userId, now, "auto")) ? { conversationId: next.id, userId } : null;
    });
    if (!assigned) break;
    done.push(assigned);
  }
  return done;
}

/** Drains the queues of the given teams (all teams with a queue when omitted); returns what was assigned. */
export async function assignQueues(deps: AssignmentDeps, teamIds?: readonly string[]): Promise<Assignment[]> {
  const teams = teamIds
    ? [...new Set(teamIds)]
    : (
        await deps.db.$queryRaw<{ teamId: string }[]>(Prisma.sql`
          SELECT DISTINCT "teamId" FROM "Conversation"
           WHERE "teamId" IS NOT NULL AND "assigneeId" IS NULL AND "queuedAt" IS NOT NULL AND status <> 'resolved'`)
      ).map((r) => r.teamId);
  const all: Assignment[] = [];
  for (const teamId of teams) all.push(...(await assignQueuedConversations(deps, teamId)));
  return all;
}

/** Presence as the team needs it: the online ids when it requires presence, else nothing to ask Redis for. */
export async function onlineFor(
  deps: AssignmentDeps,
  teamId: string,
): Promise<{ requirePresence: boolean; online: string[] } | null> {
  const team = await deps.db.team.findUnique({ where: { id: teamId }, select: { requirePresence: true } });
  if (!team) return null;
  return { requirePresence: team.requirePresence, online: team.requirePresence ? await deps.onlineUserIds() : [] };
}

/** Inside the caller's transaction: assigns the conversation to the user if they could be auto-assigned it now. */
export async function assignIfAbleInTx(
  tx: DbTx,
  presence: { requirePresence: boolean; online: string[] },
  conversationId: string,
  teamId: string,
  userId: string,
  now: Date,
  reason: AssignmentReason | null = "returning",
): Promise<boolean> {
  const [c] = await lockCandidates(tx, teamId, presence.requirePresence, presence.online, now, userId);
  if (!c || (c.maxOpenConversations !== null && c.load >= c.maxOpenConversations)) return false;
  return assignTo(tx, conversationId, userId, now, reason);
}

/**
 * Assigns one conversation to one agent if that agent could be auto-assigned it now (available, present if the team
 * requires it, not absent, under capacity): returning customers to their previous agent. False: normal routing.
 */
export async function assignConversationIfAble(
  deps: AssignmentDeps,
  conversationId: string,
  teamId: string,
  userId: string,
): Promise<boolean> {
  const presence = await onlineFor(deps, teamId);
  if (!presence) return false;
  const now = deps.clock?.() ?? new Date();
  return deps.db.$transaction((tx) => assignIfAbleInTx(tx, presence, conversationId, teamId, userId, now));
}
