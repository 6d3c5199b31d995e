import {
  pgSql,
  Prisma,
  prismaSql,
  runSqlOf,
  sqlTimestamp,
  withTransaction,
  type Db,
  type DbTx,
  type PgPool,
  type RunSql,
} from "@inbox/db";
import type { AssignmentMode } from "@inbox/contracts";
import { hasCapacity, planAssignments, type AssignmentCandidate, type PlannedAssignment } from "./assignment-policy";
import { recordAssignmentChanges, type AssignmentChange, type AssignmentReason } from "./record-assignment-changes";

/** What auto-assignment needs: the database, who has the console open, the time. */
export interface AssignmentDeps {
  db: Db;
  /**
   * Plain pg pool: the queue runs' statements and transactions run on it (a fraction of Prisma's CPU per statement,
   * like the other hot paths); without one they run on Prisma.
   */
  pool?: PgPool | undefined;
  /** Ids of users with the console open (presence); only consulted for teams that require presence. */
  onlineUserIds: () => Promise<string[]>;
  clock?: () => Date;
}

export interface Assignment {
  conversationId: string;
  userId: string;
}

/** Where a statement outside a transaction runs: the pool when there is one, else Prisma. */
export const sqlOf = (deps: Pick<AssignmentDeps, "db" | "pool">): RunSql =>
  deps.pool ? pgSql(deps.pool) : prismaSql(deps.db);

/** Most conversations one assignment transaction hands out (a burst is assigned in a few short transactions). */
const ASSIGN_BATCH = 100;

/**
 * The team's agents who may be auto-assigned now (active, available, present when required, not absent), row-locked
 * in id order, with their load counted under the lock (a new statement: it sees every assignment committed by whoever
 * held a lock before), so capacity can never be exceeded. `skipLocked`: agents another assigner holds are left out
 * instead of waited for.
 */
async function lockAbleAgents(
  tx: DbTx | RunSql,
  teamId: string,
  presence: { requirePresence: boolean; online: string[] },
  now: Date,
  options: { skipLocked: boolean; onlyUserId?: string },
): Promise<AssignmentCandidate[]> {
  const lock = options.skipLocked ? Prisma.sql`FOR UPDATE OF u SKIP LOCKED` : Prisma.sql`FOR UPDATE OF u`;
  const onlyUserId = options.onlyUserId ?? null;
  const run = runSqlOf(tx);
  const rows = await run<{ id: string; max: number | null; last: Date | null }>(Prisma.sql`
    SELECT u.id, u."maxOpenConversations" AS max, u."lastAssignedAt" AS last
      FROM "User" u JOIN "TeamMembership" m ON m."userId" = u.id AND m."teamId" = ${teamId}::uuid
     WHERE u."isActive" AND u.availability = 'available'
       AND (${!presence.requirePresence} OR u.id = ANY(${presence.online}::uuid[]))
       AND (${onlyUserId}::uuid IS NULL OR u.id = ${onlyUserId}::uuid)
       AND NOT EXISTS (SELECT 1 FROM "Absence" a WHERE a."userId" = u.id AND a."startsAt" <= ${sqlTimestamp(now)}
                         AND (a."endsAt" IS NULL OR a."endsAt" > ${sqlTimestamp(now)}))
     ORDER BY u.id
       ${lock}`);
  if (rows.length === 0) return [];
  const loads = await run<{ id: string; load: number }>(Prisma.sql`
    SELECT "assigneeId" AS id, count(*)::int AS load FROM "Conversation"
     WHERE "assigneeId" = ANY(${rows.map((r) => r.id)}::uuid[]) AND status <> 'resolved'
     GROUP BY "assigneeId"`);
  const loadOf = new Map(loads.map((l) => [l.id, l.load]));
  return rows.map((r) => ({
    userId: r.id,
    load: loadOf.get(r.id) ?? 0,
    maxOpenConversations: r.max,
    lastAssignedAt: r.last,
  }));
}

/**
 * Gives unassigned conversations to users in one statement (and moves each user's lastAssignedAt to the stamp of
 * their last one here); with a reason, every change is a timeline line and an audit entry (null: the caller records
 * the net change itself, e.g. a reopened conversation that stays with its agent). Returns what moved.
 */
async function assignTo(
  tx: DbTx | RunSql,
  plan: readonly PlannedAssignment[],
  now: Date,
  reason: AssignmentReason | null,
): Promise<Assignment[]> {
  if (!plan.length) return [];
  const rows = await runSqlOf(tx)<{ conversationId: string; userId: string; teamId: string | null }>(Prisma.sql`
    WITH input AS (
      SELECT * FROM unnest(${plan.map((p) => p.conversationId)}::uuid[], ${plan.map((p) => p.userId)}::uuid[],
                           ${plan.map((p) => p.stampedAt.toISOString())}::timestamptz[]) AS i(cid, uid, stamped)
    ), moved AS (
      UPDATE "Conversation" c SET "assigneeId" = i.uid, "assignedAt" = ${sqlTimestamp(now)}, "queuedAt" = NULL,
             "updatedAt" = ${sqlTimestamp(now)}
        FROM input i
       WHERE c.id = i.cid AND c."assigneeId" IS NULL
      RETURNING c.id AS "conversationId", i.uid AS "userId", c."teamId", i.stamped
    ), agent AS (
      UPDATE "User" u SET "lastAssignedAt" = x.stamped AT TIME ZONE 'UTC'
        FROM (SELECT "userId", max(stamped) AS stamped FROM moved GROUP BY "userId") x
       WHERE u.id = x."userId"
    )
    SELECT "conversationId", "userId", "teamId" FROM moved`);
  if (reason && rows.length) {
    const changes: AssignmentChange[] = rows.map((r) => ({
      conversationId: r.conversationId,
      fromUserId: null,
      toUserId: r.userId,
      teamId: r.teamId,
      reason,
    }));
    await recordAssignmentChanges(tx, { type: "system" }, changes, now);
  }
  return rows.map((r) => ({ conversationId: r.conversationId, userId: r.userId }));
}

/** How many more conversations the candidates can take (Infinity: someone has no limit). */
function roomOf(candidates: readonly AssignmentCandidate[]): number {
  return candidates.reduce(
    (sum, c) =>
      sum + (c.maxOpenConversations === null ? Number.POSITIVE_INFINITY : Math.max(0, c.maxOpenConversations - c.load)),
    0,
  );
}

/**
 * One assignment transaction: locks the team's able agents (those another assigner holds are skipped; only when it
 * got none does it wait for them, holding nothing itself, so it can never be part of a deadlock), counts their room,
 * claims that many of the oldest waiting conversations with SKIP LOCKED (two assigners never take the same one, and
 * together they take the oldest), and assigns them in one statement. `more`: the queue may hold more it could assign.
 */
async function assignBatch(
  deps: AssignmentDeps,
  teamId: string,
  team: { assignmentStrategy: AssignmentMode; requirePresence: boolean },
  online: string[],
  limit: number,
): Promise<{ assigned: Assignment[]; more: boolean }> {
  const presence = { requirePresence: team.requirePresence, online };
  return withTransaction(deps, async (tx) => {
    const now = deps.clock?.() ?? new Date();
    let agents = await lockAbleAgents(tx, teamId, presence, now, { skipLocked: true });
    if (!agents.length) agents = await lockAbleAgents(tx, teamId, presence, now, { skipLocked: false });
    const room = Math.min(limit, roomOf(agents));
    if (room === 0) return { assigned: [], more: false };
    const queue = await tx<{ id: string }>(Prisma.sql`
      SELECT id FROM "Conversation"
       WHERE "teamId" = ${teamId}::uuid AND "assigneeId" IS NULL AND "queuedAt" IS NOT NULL AND status <> 'resolved'
       ORDER BY "queuedAt", id
       LIMIT ${room} FOR UPDATE SKIP LOCKED`);
    const plan = planAssignments(
      queue.map((q) => q.id),
      agents.filter(hasCapacity),
      team.assignmentStrategy,
      now,
    );
    const assigned = await assignTo(tx, plan, deps.clock?.() ?? new Date(), "auto");
    return { assigned, more: queue.length === room && assigned.length === plan.length };
  });
}

/**
 * Assigns the team's queue, oldest first, to the agents who can take it (available, present when the team requires
 * it, not absent, under capacity), by the team's mode, until the queue is empty or nobody can take more — in
 * transactions of up to ASSIGN_BATCH conversations (assignBatch), so assigners in several processes can run at once.
 */
async function assignQueuedConversations(
  deps: AssignmentDeps,
  teamId: string,
  options: { limit?: number } = {},
): Promise<Assignment[]> {
  const [team] = await sqlOf(deps)<{ assignmentStrategy: AssignmentMode; requirePresence: boolean }>(Prisma.sql`
    SELECT "assignmentStrategy"::text AS "assignmentStrategy", "requirePresence" FROM "Team" WHERE id = ${teamId}::uuid`);
  if (!team || team.assignmentStrategy === "manual") return [];
  const online = team.requirePresence ? await deps.onlineUserIds() : [];
  const done: Assignment[] = [];
  const limit = options.limit ?? 1_000;
  while (done.length < limit) {
    const { assigned, more } = await assignBatch(
      deps,
      teamId,
      team,
      online,
      Math.min(ASSIGN_BATCH, limit - done.length),
    );
    done.push(...assigned);
    if (!more) break;
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

/** Assigns a team's queue now; requests while one runs share the next run (see createQueueAssigner). */
export type QueueAssigner = (teamId: string) => Promise<Assignment[]>;

/**
 * One assigner per process: a request for a team whose queue is being assigned right now waits for the run after
 * it, which all requests arriving meanwhile share (it starts after their conversations were queued, so it sees
 * them). A burst of new conversations thus costs a few batch transactions instead of one drain per conversation
 * queueing behind the same agent locks.
 */
export function createQueueAssigner(deps: AssignmentDeps): QueueAssigner {
  const teams = new Map<string, { running: Promise<Assignment[]>; next: Promise<Assignment[]> | null }>();
  const run = (teamId: string): Promise<Assignment[]> => {
    const state: { running: Promise<Assignment[]>; next: Promise<Assignment[]> | null } = {
      running: Promise.resolve([]),
      next: null,
    };
    state.running = assignQueuedConversations(deps, teamId).finally(() => {
      if (teams.get(teamId) === state && !state.next) teams.delete(teamId);
    });
    teams.set(teamId, state);
    return state.running;
  };
  return (teamId) => {
    const state = teams.get(teamId);
    if (!state) return run(teamId);
    state.next ??= state.running.then(
      () => run(teamId),
      () => run(teamId),
    );
    return state.next;
  };
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
  const [c] = await lockAbleAgents(tx, teamId, presence, now, { skipLocked: false, onlyUserId: userId });
  if (!c || !hasCapacity(c)) return false;
  const plan = planAssignments([conversationId], [c], "round_robin", now);
  return (await assignTo(tx, plan, now, reason)).length > 0;
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
