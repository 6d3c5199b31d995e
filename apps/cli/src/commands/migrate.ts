import { loadEnv, migrateDatabase } from "../runtime";

export async function migrateCommand(): Promise<void> {
  const env = loadEnv();
  const applied = await migrateDatabase(env);
  console.log(
    applied.length ? `Applied ${applied.length} migration(s): ${applied.join(", ")}` : "Database is up to date.",
  );
}
