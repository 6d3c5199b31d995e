import type { UpdateUserBody, UserDto } from "@inbox/contracts";
import { toJsonValue, type Db, type DbTx, type Prisma } from "@inbox/db";
import { AppError } from "../errors/app-error";
import { recordAudit, type Actor } from "../audit/record-audit";
import { createUser, type CreateUserInput } from "../users/create-user";
import { hashPassword } from "../users/password";
import { isUuid } from "../shared/ids";
import { clearAccountThrottles } from "../auth/login-throttle";
import { assignQueues, type AssignmentDeps } from "../routing/assign-queued-conversations";
import { offboardUserInTx } from "../routing/offboard-user";
import type { LiveChanges } from "../shared/live-changes";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

async function findUserDtos(db: DbTx, where: Prisma.UserWhereInput): Promise<UserDto[]> {
  const users = await db.user.findMany({
    where,
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
    availability: u.availability,
    maxOpenConversations: u.maxOpenConversations,
  }));
}

/** Every user, for admins. */
export async function listUsers(db: DbTx): Promise<UserDto[]> {
  return findUserDtos(db, {});
}

/** Active users with what colleagues need of them (assignment menus): no e-mail, no security state. */
export async function listActiveUsers(
  db: DbTx,
): Promise<{ id: string; name: string; role: UserDto["role"]; teamIds: string[] }[]> {
  const users = await findUserDtos(db, { isActive: true });
  return users.map((u) => ({ id: u.id, name: u.name, role: u.role, teamIds: u.teamIds }));
}

async function getUser(db: DbTx, userId: string): Promise<UserDto> {
  const [user] = await findUserDtos(db, { id: userId });
  if (!user) throw new AppError("not_found", "User not found.");
  return user;
}

/**
 * A new user in one transaction: the account, its teams (by id, as the admin console picks them; `teams` by name
 * are created when missing, as the CLI takes them) and the audit entry.
 */
export async function createUserAccount(
  db: Db,
  actor: Actor,
  input: CreateUserInput & { teamIds?: string[] },
): Promise<UserDto> {
  const { teamIds = [], ...account } = input;
  // The password is hashed (argon2id, deliberately slow) inside the transaction: allow for a busy machine.
  const id = await db.$transaction(
    async (tx) => {
      const created = await createUser(tx, account, actor);
      await setUserTeams(tx, created.id, teamIds, created.role);
      return created.id;
    },
    { timeout: 30_000 },
  );
  return getUser(db, id);
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
/** What updateUser needs besides the database: offboarding re-routes and auto-assigns, and tells the consoles. */
export interface UpdateUserDeps {
  db: Db;
  routing: AssignmentDeps;
  live: LiveChanges;
  clock: () => Date;
}

/**
 * An admin changes a user. Deactivating is offboarding: sessions end, and their open conversations are re-routed
 * (back to their team's queue, then auto-assignment inside the team) while their history stays theirs.
 */
export async function updateUser(
  deps: UpdateUserDeps,
  actor: Actor,
  userId: string,
  input: UpdateUserBody,
): Promise<UserDto> {
  const { db } = deps;
  if (!isUuid(userId)) throw new AppError("not_found", "User not found.");
  const now = deps.clock();
  const offboarded = await db.$transaction(async (tx) => {
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
      // Prisma leaves a field that is undefined as it is.
      data: {
        name: input.name,
        role: input.role,
        locale: input.locale,
        isActive: input.isActive,
        maxOpenConversations: input.maxOpenConversations,
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
    await recordAudit(tx, actor, "user.updated", "user", userId, toJsonValue<Prisma.InputJsonObject>(input));
    return user.isActive && input.isActive === false ? offboardUserInTx(tx, actor, userId, now) : null;
  });
  if (offboarded?.conversationIds.length) {
    const assigned = await assignQueues(deps.routing, offboarded.teamIds);
    deps.live.add({
      conversationIds: [...offboarded.conversationIds, ...assigned.map((a) => a.conversationId)],
      createdMessageIds: offboarded.messageIds,
    });
  }
  return getUser(db, userId);
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

async function setUserTeams(
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
