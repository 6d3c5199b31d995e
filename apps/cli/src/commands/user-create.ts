import { parseArgs } from "node:util";
import { AppError, createUser } from "@inbox/core";
import { connectDb, loadEnv, migrateDatabase, StartupError } from "../runtime";

export const USER_CREATE_USAGE =
  "pnpm inbox user create --email E --password P --role admin|lead|agent [--team T [--create-team]] [--name N] [--locale de|en]";

export async function userCreateCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      email: { type: "string" },
      password: { type: "string" },
      role: { type: "string" },
      team: { type: "string", multiple: true },
      "create-team": { type: "boolean", default: false },
      name: { type: "string" },
      locale: { type: "string" },
    },
    strict: true,
  });
  if (!values.email || !values.password || !values.role) throw new StartupError(`Usage: ${USER_CREATE_USAGE}`);
  if (!["admin", "lead", "agent"].includes(values.role)) {
    throw new StartupError(`--role must be admin, lead or agent (got "${values.role}").`);
  }
  const env = loadEnv();
  await migrateDatabase(env);
  const db = await connectDb(env);
  try {
    const user = await db.$transaction((tx) =>
      createUser(
        tx,
        {
          email: values.email!,
          password: values.password!,
          role: values.role as "admin" | "lead" | "agent",
          teams: values.team ?? [],
          createMissingTeams: values["create-team"],
          ...(values.name ? { name: values.name } : {}),
          ...(values.locale === "en" || values.locale === "de" ? { locale: values.locale } : {}),
        },
        { type: "system" },
      ),
    );
    console.log(
      `Created ${user.role} ${user.email}${values.team?.length ? ` in team(s) ${values.team.join(", ")}` : ""}.`,
    );
  } catch (error) {
    if (error instanceof AppError)
      throw new StartupError(
        error.details?.unknownTeams ? `${error.message} Pass --create-team to create it.` : error.message,
      );
    throw error;
  } finally {
    await db.$disconnect();
  }
}
