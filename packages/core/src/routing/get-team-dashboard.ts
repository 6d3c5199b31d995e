import type { TeamDashboard } from "@inbox/contracts";
import { Prisma, sqlTimestamp, type Db } from "@inbox/db";
import { AppError } from "../errors/app-error";
import { startOfLocalDay } from "./business-hours";

export interface TeamDashboardDeps {
  db: Db;
  /** Ids of users with the console open (presence). */
  onlineUserIds: () => Promise<string[]>;
  clock: () => Date;
}

const QUEUE_SHOWN = 50;
const DEFAULT_TIME_ZONE = "Europe/Berlin";

/**
 * The lead dashboard (leads: the teams they lead; admins: every team): per team the queue (length, longest wait,
 * the oldest waiting), open and resolved-today counts, the median first response time of conversations answered
 * today ("today": since midnight in the team's time zone), and each member's status, load against capacity and
 * running absence. Agents are refused (403).
 */
export async function getTeamDashboard(
  deps: TeamDashboardDeps,
  user: { id: string; role: "agent" | "lead" | "admin" },
): Promise<TeamDashboard> {
  if (user.role === "agent") throw new AppError("forbidden", "The team dashboard is for leads and admins.");
  const { db } = deps;
  const now = deps.clock();
  const teams = await db.team.findMany({
    where: user.role === "admin" ? {} : { memberships: { some: { userId: user.id, role: "lead" } } },
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      businessHours: true,
      memberships: {
        where: { user: { isActive: true } },
        select: {
          role: true,
          user: { select: { id: true, name: true, availability: true, maxOpenConversations: true } },
        },
      },
    },
  });
  if (!teams.length) return { generatedAt: now.toISOString(), teams: [] };
  const teamIds = teams.map((t) => t.id);
  const dayStartOf = (hours: unknown) => {
    const zone = (hours as { timeZone?: string } | null)?.timeZone ?? DEFAULT_TIME_ZONE;
    return startOfLocalDay(now, zone);
  };
  const dayStarts = teams.map((t) => dayStartOf(t.businessHours));
  const starts = Prisma.join(teams.map((t, i) => Prisma.sql`(${t.id}::uuid, ${sqlTimestamp(dayStarts[i])})`));
  const figures = await db.$queryRaw<
    {
      teamId: string;
      queued: number;
      oldest: Date | null;
      open: number;
      resolvedToday: number;
      medianFirstResponse: number | null;
    }[]
  >(Prisma.sql`
    WITH day(team_id, since) AS (VALUES ${starts})
    SELECT d.team_id AS "teamId",
           count(*) FILTER (WHERE c.status <> 'resolved' AND c."assigneeId" IS NULL)::int AS queued,
           min(coalesce(c."queuedAt", c."createdAt")) FILTER (WHERE c.status <> 'resolved' AND c."assigneeId" IS NULL)
             AS oldest,
           count(*) FILTER (WHERE c.status <> 'resolved')::int AS open,
           count(*) FILTER (WHERE c.status = 'resolved' AND c."resolvedAt" >= d.since)::int AS "resolvedToday",
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c."firstResponseAt" - c."createdAt"))
             FILTER (WHERE c."firstResponseAt" >= d.since) AS "medianFirstResponse"
      FROM day d LEFT JOIN "Conversation" c ON c."teamId" = d.team_id
     GROUP BY d.team_id`);
  const queue = await db.$queryRaw<
    { teamId: string; id: string; queuedAt: Date; contactName: string | null; rank: number }[]
  >(Prisma.sql`
    SELECT * FROM (
      SELECT c."teamId", c.id, coalesce(c."queuedAt", c."createdAt") AS "queuedAt",
             coalesce(k."displayName", k."profileName") AS "contactName",
             row_number() OVER (PARTITION BY c."teamId" ORDER BY coalesce(c."queuedAt", c."createdAt"), c.id)::int AS rank
        FROM "Conversation" c JOIN "Contact" k ON k.id = c."contactId"
       WHERE c."teamId" = ANY(${teamIds}::uuid[]) AND c."assigneeId" IS NULL AND c.status <> 'resolved') q
     WHERE rank <= ${QUEUE_SHOWN}
     ORDER BY "teamId", rank`);
  const memberIds = [...new Set(teams.flatMap((t) => t.memberships.map((m) => m.user.id)))];
  const loads = memberIds.length
    ? await db.conversation.groupBy({
        by: ["assigneeId"],
        where: { assigneeId: { in: memberIds }, status: { not: "resolved" } },
        _count: { _all: true },
      })
    : [];
  const absences = memberIds.length
    ? await db.absence.findMany({
        where: { userId: { in: memberIds }, startsAt: { lte: now }, OR: [{ endsAt: null }, { endsAt: { gt: now } }] },
        orderBy: { startsAt: "asc" },
        select: {
          userId: true,
          endsAt: true,
          substitute: { select: { name: true } },
          substituteTeam: { select: { name: true } },
        },
      })
    : [];
  const online = new Set(await deps.onlineUserIds());
  const loadOf = new Map(loads.map((l) => [l.assigneeId, l._count._all]));
  const absenceOf = new Map(absences.map((a) => [a.userId, a]));
  const figuresOf = new Map(figures.map((f) => [f.teamId, f]));
  return {
    generatedAt: now.toISOString(),
    teams: teams.map((t) => {
      const f = figuresOf.get(t.id);
      const oldest = f?.oldest ?? null;
      return {
        teamId: t.id,
        name: t.name,
        queueLength: f?.queued ?? 0,
        longestWaitSeconds: oldest ? Math.max(0, Math.floor((now.getTime() - oldest.getTime()) / 1000)) : null,
        queue: queue
          .filter((q) => q.teamId === t.id)
          .map((q) => ({ conversationId: q.id, contactName: q.contactName, queuedAt: q.queuedAt.toISOString() })),
        openCount: f?.open ?? 0,
        resolvedToday: f?.resolvedToday ?? 0,
        medianFirstResponseSeconds:
          f?.medianFirstResponse === null || f?.medianFirstResponse === undefined
            ? null
            : Math.round(Number(f.medianFirstResponse)),
        agents: t.memberships
          .map((m) => {
            const absence = absenceOf.get(m.user.id);
            return {
              userId: m.user.id,
              name: m.user.name,
              role: m.role,
              availability: m.user.availability,
              isOnline: online.has(m.user.id),
              load: loadOf.get(m.user.id) ?? 0,
              maxOpenConversations: m.user.maxOpenConversations,
              absence: absence
                ? {
                    endsAt: absence.endsAt ? absence.endsAt.toISOString() : null,
                    substituteName: absence.substitute?.name ?? absence.substituteTeam?.name ?? null,
                  }
                : null,
            };
          })
          .sort((a, b) => a.name.localeCompare(b.name)),
      };
    }),
  };
}
