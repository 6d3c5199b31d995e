/**
 * Creates prisma/migrations/<timestamp>_<name>/ from the difference between the existing migrations and
 * prisma/schema.prisma, using a scratch database. Usage: tsx scripts/new-migration.ts <name>
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createMigration } from "../src/migrate";

const name = process.argv[2];
if (!name) {
  console.error("Usage: tsx scripts/new-migration.ts <name>");
  process.exit(1);
}
const admin = process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const scratch = `inbox_scratch_${randomBytes(4).toString("hex")}`;
const client = new pg.Client({ connectionString: admin });
await client.connect();
await client.query(`CREATE DATABASE "${scratch}"`);
try {
  const url = new URL(admin);
  url.pathname = `/${scratch}`;
  const folder = await createMigration(url.toString(), name);
  console.log(folder ? `Created prisma/migrations/${folder}` : "Schema and migrations agree; nothing to create.");
} finally {
  await client.query(`DROP DATABASE IF EXISTS "${scratch}" WITH (FORCE)`);
  await client.end();
}
process.exit(0);
