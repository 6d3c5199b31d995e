import type { AbsenceDto, CreateAbsenceBody } from "@inbox/contracts";
import type { Db, DbTx, Prisma } from "@inbox/db";
import { AppError } from "../errors/app-error";
import { recordAudit } from "../audit/record-audit";
import { isUuid } from "../shared/ids";
import { isAbsentAt } from "./assignment-policy";

/** Who asks: agents set their own absence, leads also for members of the teams they lead, admins for anyone. */
export interface AbsenceActor {
  id: string;
  role: "agent" | "lead" | "admin";
  ip?: string;
}

async function assertMayManage(db: DbTx, actor: AbsenceActor, userId: string): Promise<void> {
  if (actor.role === "admin" || actor.id === userId) return;
  if (actor.role === "lead") {
    const shared = await db.teamMembership.count({
      where: { userId, team: { memberships: { some: { userId: actor.id, role: "lead" } } } },
    });
    if (shared > 0) return;
  }
  throw new AppError(
    "forbidden",
    actor.role === "lead"
      ? "Leads set absences only for members of the teams they lead."
      : "Agents set absences only for themselves.",
  );
}

const include = {
  user: { select: { name: true } },
  substitute: { select: { name: true } },
  substituteTeam: { select: { name: true } },
} satisfies Prisma.AbsenceInclude;
type AbsenceRow = Prisma.AbsenceGetPayload<{ include: typeof include }>;

function toDto(a: AbsenceRow, now: Date): AbsenceDto {
  return {
    id: a.id,
    userId: a.userId,
    userName: a.user.name,
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt ? a.endsAt.toISOString() : null,
    substituteUserId: a.substituteId,
    substituteUserName: a.substitute?.name ?? null,
    substituteTeamId: a.substituteTeamId,
    substituteTeamName: a.substituteTeam?.name ?? null,
    handover: a.handover,
    returnAtEnd: a.returnAtEnd,
    note: a.note,
    isActive: isAbsentAt(a, now),
  };
}

/**
 * Records vacation cover. Refused: someone the actor may not manage (403 forbidden), an end not after the start or
 * already past (absence_period_invalid), no substitute, both kinds, the user covering themselves, an inactive or
 * unknown substitute (absence_substitute_invalid), an overlap with another absence of the user (absence_overlaps).
 */
export async function createAbsence(
  db: Db,
  actor: AbsenceActor,
  input: CreateAbsenceBody,
  now = new Date(),
): Promise<AbsenceDto> {
  const startsAt = new Date(input.startsAt);
  const endsAt = input.endsAt ? new Date(input.endsAt) : null;
  const subUser = input.substituteUserId ?? null;
  const subTeam = input.substituteTeamId ?? null;
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.userId }, select: { id: true } });
    if (!user) throw new AppError("not_found", "User not found.");
    await assertMayManage(tx, actor, input.userId);
    if (endsAt && endsAt.getTime() <= startsAt.getTime()) {
      throw new AppError("absence_period_invalid", "The absence must end after it starts.");
    }
    if (endsAt && endsAt.getTime() <= now.getTime()) {
      throw new AppError("absence_period_invalid", "The absence would already be over.");
    }
    if ((subUser === null) === (subTeam === null)) {
      throw new AppError("absence_substitute_invalid", "Name exactly one substitute: an agent or a team.");
    }
    if (subUser === input.userId) {
      throw new AppError("absence_substitute_invalid", "Someone cannot cover their own absence.");
    }
    if (subUser && !(await tx.user.findFirst({ where: { id: subUser, isActive: true }, select: { id: true } }))) {
      throw new AppError("absence_substitute_invalid", "The substitute is not an active user.");
    }
    if (subTeam && !(await tx.team.findUnique({ where: { id: subTeam }, select: { id: true } }))) {
      throw new AppError("absence_substitute_invalid", "The substitute team does not exist.");
    }
    // Serialise absences of one user, then look for an overlap.
    await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${input.userId}::uuid FOR UPDATE`;
    const overlap = await tx.absence.findFirst({
      where: {
        userId: input.userId,
        OR: [{ endsAt: null }, { endsAt: { gt: startsAt } }],
        ...(endsAt ? { startsAt: { lt: endsAt } } : {}),
      },
      select: { id: true },
    });
    if (overlap)
      throw new AppError("absence_overlaps", "This person already has an absence in that time.", {
        absenceId: overlap.id,
      });
    const absence = await tx.absence.create({
      data: {
        userId: input.userId,
        startsAt,
        endsAt,
        substituteId: subUser,
        substituteTeamId: subTeam,
        handover: input.handover,
        returnAtEnd: input.returnAtEnd,
        note: input.note ?? null,
        createdById: actor.id,
      },
      include,
    });
    await recordAudit(
      tx,
      { type: "user", userId: actor.id, ...(actor.ip ? { ip: actor.ip } : {}) },
      "absence.created",
      "absence",
      absence.id,
      {
        userId: input.userId,
        substituteUserId: subUser,
        substituteTeamId: subTeam,
        startsAt: startsAt.toISOString(),
        endsAt: endsAt?.toISOString() ?? null,
        handover: input.handover,
      },
    );
    return toDto(absence, now);
  });
}

/** Current and future absences the actor may see: admins all; leads their teams' members'; everyone their own and those they cover. */
export async function listAbsences(db: DbTx, actor: AbsenceActor, now = new Date()): Promise<AbsenceDto[]> {
  const scope: Prisma.AbsenceWhereInput =
    actor.role === "admin"
      ? {}
      : {
          OR: [
            { userId: actor.id },
            { substituteId: actor.id },
            ...(actor.role === "lead"
              ? [
                  {
                    user: {
                      memberships: {
                        some: { team: { memberships: { some: { userId: actor.id, role: "lead" as const } } } },
                      },
                    },
                  },
                ]
              : []),
          ],
        };
  const rows = await db.absence.findMany({
    where: { AND: [scope, { OR: [{ endsAt: null }, { endsAt: { gt: now } }] }] },
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    include,
  });
  return rows.map((r) => toDto(r, now));
}

/** Cancels a future absence, or ends a running one now (the routing tick then returns conversations if asked to). */
export async function deleteAbsence(db: Db, actor: AbsenceActor, id: string, now = new Date()): Promise<void> {
  if (!isUuid(id)) throw new AppError("not_found", "Absence not found.");
  await db.$transaction(async (tx) => {
    const absence = await tx.absence.findUnique({ where: { id } });
    if (!absence) throw new AppError("not_found", "Absence not found.");
    await assertMayManage(tx, actor, absence.userId);
    if (absence.startsAt.getTime() > now.getTime()) await tx.absence.delete({ where: { id } });
    else if (!absence.endsAt || absence.endsAt.getTime() > now.getTime()) {
      await tx.absence.update({ where: { id }, data: { endsAt: now } });
    }
    await recordAudit(
      tx,
      { type: "user", userId: actor.id, ...(actor.ip ? { ip: actor.ip } : {}) },
      "absence.deleted",
      "absence",
      id,
      {
        userId: absence.userId,
      },
    );
  });
}
