import type { BusinessHours, LocalizedText, TeamDetailDto, UpdateTeamBody } from "@inbox/contracts";
import { isUniqueViolation, Prisma, toJsonValue, type Db, type DbTx } from "@inbox/db";
import { AppError } from "../errors/app-error";
import { recordAudit, type Actor } from "../audit/record-audit";
import { isUuid } from "../shared/ids";

/** German states (ISO 3166-2:DE without the prefix) whose public holidays business hours can observe. */
const GERMAN_STATES = [
  "BB",
  "BE",
  "BW",
  "BY",
  "HB",
  "HE",
  "HH",
  "MV",
  "NI",
  "NW",
  "RP",
  "SH",
  "SL",
  "SN",
  "ST",
  "TH",
] as const;

function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Refuses business hours that cannot work: unknown time zone or state, a period that ends before it starts. */
function checkBusinessHours(hours: BusinessHours): void {
  const bad = (message: string): never => {
    throw new AppError("team_settings_invalid", message, { field: "businessHours" });
  };
  if (!isValidTimeZone(hours.timeZone)) bad(`Unknown time zone ${hours.timeZone}.`);
  if (hours.holidayState && !(GERMAN_STATES as readonly string[]).includes(hours.holidayState)) {
    bad(`Unknown German state ${hours.holidayState} (one of ${GERMAN_STATES.join(", ")}).`);
  }
  for (const [day, periods] of Object.entries(hours.days)) {
    for (const p of periods ?? []) if (p.from >= p.to) bad(`${day}: ${p.from}–${p.to} ends before it starts.`);
  }
  for (const date of hours.closedDates) if (Number.isNaN(Date.parse(date))) bad(`${date} is not a date.`);
}

type TeamRow = Prisma.TeamGetPayload<{ include: { memberships: true } }>;

function toTeamDetail(team: TeamRow): TeamDetailDto {
  return {
    id: team.id,
    name: team.name,
    description: team.description,
    assignment: team.assignmentStrategy,
    requirePresence: team.requirePresence,
    awayMessage: (team.awayMessage as LocalizedText | null) ?? null,
    greetingMessage: (team.greetingMessage as LocalizedText | null) ?? null,
    businessHours: (team.businessHours as BusinessHours | null) ?? null,
    members: team.memberships
      .map((m) => ({ userId: m.userId, role: m.role }))
      .sort((a, b) => a.userId.localeCompare(b.userId)),
  };
}

export async function listTeamDetails(db: DbTx): Promise<TeamDetailDto[]> {
  const teams = await db.team.findMany({ orderBy: { name: "asc" }, include: { memberships: true } });
  return teams.map(toTeamDetail);
}

const nullable = (v: unknown) => (v === null ? Prisma.DbNull : (v as Prisma.InputJsonValue));

/** Name, description, assignment mode, presence rule, away/greeting texts, business hours, members and leads. */
export async function updateTeam(db: Db, actor: Actor, teamId: string, input: UpdateTeamBody): Promise<TeamDetailDto> {
  if (!isUuid(teamId)) throw new AppError("not_found", "Team not found.");
  if (input.businessHours) checkBusinessHours(input.businessHours);
  try {
    return await db.$transaction(async (tx) => {
      if (!(await tx.team.findUnique({ where: { id: teamId }, select: { id: true } }))) {
        throw new AppError("not_found", "Team not found.");
      }
      await tx.team.update({
        where: { id: teamId },
        data: {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.assignment !== undefined ? { assignmentStrategy: input.assignment } : {}),
          ...(input.requirePresence !== undefined ? { requirePresence: input.requirePresence } : {}),
          ...(input.awayMessage !== undefined ? { awayMessage: nullable(input.awayMessage) } : {}),
          ...(input.greetingMessage !== undefined ? { greetingMessage: nullable(input.greetingMessage) } : {}),
          ...(input.businessHours !== undefined ? { businessHours: nullable(input.businessHours) } : {}),
        },
      });
      if (input.members) {
        const byUser = new Map(input.members.map((m) => [m.userId, m.role]));
        const found = await tx.user.count({ where: { id: { in: [...byUser.keys()] } } });
        if (found !== byUser.size) throw new AppError("not_found", "User not found.");
        await tx.teamMembership.deleteMany({ where: { teamId } });
        await tx.teamMembership.createMany({
          data: [...byUser].map(([userId, role]) => ({ teamId, userId, role })),
        });
      }
      await recordAudit(tx, actor, "team.updated", "team", teamId, toJsonValue<Prisma.InputJsonObject>(input));
      return toTeamDetail(await tx.team.findUniqueOrThrow({ where: { id: teamId }, include: { memberships: true } }));
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("conflict", `Team ${input.name ?? ""} already exists.`);
    throw error;
  }
}

/** Deletes a team; refused while routing rules send conversations to it. Its conversations keep no team. */
export async function deleteTeam(db: Db, actor: Actor, teamId: string): Promise<void> {
  if (!isUuid(teamId)) throw new AppError("not_found", "Team not found.");
  await db.$transaction(async (tx) => {
    const rules = await tx.routingRule.count({ where: { teamId } });
    if (rules)
      throw new AppError("conflict", `${rules} routing rule(s) send conversations to this team; change them first.`);
    const { count } = await tx.team.deleteMany({ where: { id: teamId } });
    if (!count) throw new AppError("not_found", "Team not found.");
    await recordAudit(tx, actor, "team.deleted", "team", teamId);
  });
}

/** Where new conversations of a channel go when no routing rule matches. */
export async function setChannelDefaultTeam(
  db: Db,
  actor: Actor,
  channelId: string,
  defaultTeamId: string | null,
): Promise<void> {
  if (!isUuid(channelId)) throw new AppError("not_found", "Channel not found.");
  await db.$transaction(async (tx) => {
    if (defaultTeamId && !(await tx.team.findUnique({ where: { id: defaultTeamId }, select: { id: true } }))) {
      throw new AppError("not_found", "Team not found.");
    }
    const { count } = await tx.channel.updateMany({ where: { id: channelId }, data: { defaultTeamId } });
    if (!count) throw new AppError("not_found", "Channel not found.");
    await recordAudit(tx, actor, "channel.updated", "channel", channelId, { defaultTeamId });
  });
}
