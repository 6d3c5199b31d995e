import { z } from "zod";
import { isUniqueViolation, type DbTx, type User } from "@inbox/db";
import { AppError } from "../errors/app-error";
import { recordAudit, type Actor } from "../audit/record-audit";
import { hashPassword, MIN_PASSWORD_LENGTH } from "./password";

const CreateUserInputSchema = z.object({
  email: z.email("must be an e-mail address").transform((e) => e.toLowerCase()),
  name: z.string().trim().min(1).max(120).optional(),
  password: z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`),
  role: z.enum(["admin", "lead", "agent"]),
  /** Team names; created when missing unless `createMissingTeams` is false. */
  teams: z.array(z.string().trim().min(1)).default([]),
  /** false: an unknown team name is refused (the CLI, where a typo must not create a team). */
  createMissingTeams: z.boolean().default(true),
  locale: z.enum(["de", "en"]).default("de"),
  /** Someone else chose the password (an admin, start-up): the user must replace it at the first sign-in. */
  mustChangePassword: z.boolean().default(false),
});
export type CreateUserInput = z.input<typeof CreateUserInputSchema>;

export async function createUser(db: DbTx, input: CreateUserInput, actor: Actor): Promise<User> {
  const parsed = CreateUserInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError(
      "validation_failed",
      parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; "),
    );
  }
  const data = parsed.data;
  if (!data.createMissingTeams) await assertTeamsExist(db, data.teams);
  let user: User;
  try {
    user = await db.user.create({
      data: {
        email: data.email,
        name: data.name ?? data.email.split("@")[0]!,
        passwordHash: await hashPassword(data.password),
        role: data.role,
        locale: data.locale,
        mustChangePassword: data.mustChangePassword,
      },
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("conflict", `A user with e-mail ${data.email} already exists.`);
    throw error;
  }
  for (const teamName of data.teams) {
    const team = await db.team.upsert({ where: { name: teamName }, create: { name: teamName }, update: {} });
    await db.teamMembership.create({
      data: { userId: user.id, teamId: team.id, role: data.role === "agent" ? "member" : "lead" },
    });
  }
  await recordAudit(db, actor, "user.created", "user", user.id, {
    email: user.email,
    role: user.role,
    teams: data.teams,
  });
  return user;
}

/** Refuses team names that do not exist, naming them and the teams there are. */
async function assertTeamsExist(db: DbTx, names: string[]): Promise<void> {
  if (names.length === 0) return;
  const found = await db.team.findMany({ where: { name: { in: names } }, select: { name: true } });
  const missing = names.filter((n) => !found.some((t) => t.name === n));
  if (missing.length === 0) return;
  const existing = (await db.team.findMany({ select: { name: true }, orderBy: { name: "asc" } })).map((t) => t.name);
  throw new AppError(
    "not_found",
    `No team named ${missing.map((n) => `"${n}"`).join(", ")}. ` +
      (existing.length ? `Existing teams: ${existing.join(", ")}.` : "There are no teams yet."),
    { missing, existing },
  );
}
