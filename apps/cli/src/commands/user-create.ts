import { parseArgs } from "node:util";
import type { Env } from "@inbox/config";
import { AppError, createUserAccount } from "@inbox/core";
import { connectDb, loadEnv, migrateDatabase, StartupError } from "../runtime";

export const USER_CREATE_USAGE =
  "pnpm inbox user create --email E --password P --role admin|lead|agent [--team T [--create-team]] [--name N] [--locale de|en]";

function parseUserCreateArgs(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        email: { type: "string" },
        password: { type: "string" },
        role: { type: "string" },
        team: { type: "string", multiple: true },
        "create-team": { type: "boolean" },
        name: { type: "string" },
        locale: { type: "string" },
      },
      strict: true,
    }).values;
  } catch (error) {
    throw new StartupError(`${error instanceof Error ? error.message : String(error)}\nUsage: ${USER_CREATE_USAGE}`);
  }
}

/**
 * Creates a user. `--team` names an existing team; an unknown name is refused (a typo must not create a team) unless
 * `--create-team` is given.
 */
export async function userCreateCommand(
  argv: string[],
  io: { env?: Env; print?: (text: string) => void } = {},
): Promise<void> {
  const values = parseUserCreateArgs(argv);
  if (!values.email || !values.password || !values.role) throw new StartupError(`Usage: ${USER_CREATE_USAGE}`);
  if (!["admin", "lead", "agent"].includes(values.role)) {
    throw new StartupError(`--role must be admin, lead or agent (got "${values.role}").`);
  }
  if (values["create-team"] && !values.team?.length) throw new StartupError("--create-team needs --team T.");
  const env = io.env ?? loadEnv();
  await migrateDatabase(env);
  const db = await connectDb(env);
  try {
    const user = await createUserAccount(
      db,
      { type: "system" },
      {
        email: values.email,
        password: values.password,
        role: values.role as "admin" | "lead" | "agent",
        teams: values.team ?? [],
        createMissingTeams: values["create-team"] ?? false,
        name: values.name,
        locale: values.locale === "en" || values.locale === "de" ? values.locale : undefined,
      },
    );
    (io.print ?? console.log)(
      `Created ${user.role} ${user.email}${values.team?.length ? ` in team(s) ${values.team.join(", ")}` : ""}.`,
    );
  } catch (error) {
    if (error instanceof AppError && error.details?.missing)
      throw new StartupError(`${error.message} Check the spelling, or add --create-team to create it.`);
    if (error instanceof AppError) throw new StartupError(error.message);
    throw error;
  } finally {
    await db.$disconnect();
  }
}
