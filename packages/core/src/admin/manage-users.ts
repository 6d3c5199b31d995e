import type { UpdateUserBody, UserDto } from "@inbox/contracts";
import type { Db, DbTx } from "@inbox/db";
import { AppError } from "../errors/app-error";
import { recordAudit, type Actor } from "../audit/record-audit";
import { hashPassword } from "../users/password";
import { isUuid } from "../conversations/conversation-scope";
import { clearAccountThrottles } from "../auth/login-throttle";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function listUsers(db: DbTx): Promise<UserDto[]> {
  const users = await db.user.findMany({
    orderBy: { name: "asc" },
    include: { memberships: { select: { teamId: true } } },
  });
  return users.map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    locale: u.locale,
    isActive: u.isActive,
    totpEnabled: u.totpEnabledAt !== null,
    teamIds: u.memberships.map((m) => m.teamId),
    lastLoginAt: iso(u.lastLoginAt),
  }));
}

async function assertTeams(db: DbTx, teamIds: string[]): Promise<void> {
  if (
    teamIds.some((id) => !isUuid(id)) ||
    (await db.team.count({ where: { id: { in: teamIds } } })) !== new Set(teamIds).size
  ) {
    throw new AppError("not_found", "Team not found.");
  }
}

/** Role, name, teams, locale, active flag. Deactivating ends the user's sessions at once. */
export async function updateUser(db: Db, actor: Actor, userId: string, input: UpdateUserBody): Promise<void> {
  if (!isUuid(userId)) throw new AppError("not_found", "User not found.");
  await db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) throw new AppError("not_found", "User not found.");
    if (
      actor.type === "user" &&
      actor.userId === userId &&
      (input.isActive === false || (input.role && input.role !== "admin"))
    ) {
      throw new AppError("conflict", "You cannot deactivate or demote yourself.");
    }
    await tx.user.update({
      where: { id: userId },
      data: {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.role !== undefined ? { role: input.role } : {}),
        ...(input.locale !== undefined ? { locale: input.locale } : {}),
        ...(input.isActive !== undefined ? { isActive: input.isActive } : {}),
      },
    });
    if (input.teamIds) {
      const teamIds = [...new Set(input.teamIds)];
      await assertTeams(tx, teamIds);
      const role = (input.role ?? user.role) === "agent" ? "member" : "lead";
      await tx.teamMembership.deleteMany({ where: { userId, teamId: { notIn: teamIds } } });
      await tx.teamMembership.createMany({
        data: teamIds.map((teamId) => ({ userId, teamId, role })),
        skipDuplicates: true,
      });
    }
    if (input.isActive === false) await tx.session.deleteMany({ where: { userId } });
    await recordAudit(
      tx,
      actor,
      "user.updated",
      "user",
      userId,
      JSON.parse(JSON.stringify(input)) as Record<string, never>,
    );
  });
}

/** An admin sets a new password: the user must change it, sign-in waits are lifted, and all their sessions end. */
export async function resetUserPassword(db: Db, actor: Actor, userId: string, password: string): Promise<void> {
  const user = isUuid(userId) ? await db.user.findUnique({ where: { id: userId }, select: { email: true } }) : null;
  if (!user) throw new AppError("not_found", "User not found.");
  const passwordHash = await hashPassword(password);
  await db.$transaction(async (tx) => {
    await tx.user.update({
      where: { id: userId },
      data: { passwordHash, mustChangePassword: true },
    });
    await clearAccountThrottles(tx, user.email);
    await tx.session.deleteMany({ where: { userId } });
    await recordAudit(tx, actor, "user.password_reset", "user", userId);
  });
}

export async function setUserTeams(
  db: DbTx,
  userId: string,
  teamIds: string[],
  role: "agent" | "lead" | "admin",
): Promise<void> {
  await assertTeams(db, teamIds);
  await db.teamMembership.createMany({
    data: teamIds.map((teamId) => ({
      userId,
      teamId,
      role: role === "agent" ? ("member" as const) : ("lead" as const),
    })),
    skipDuplicates: true,
  });
}
