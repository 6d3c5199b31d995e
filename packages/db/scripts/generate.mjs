// Generates the Prisma client (packages/db/src/generated) from prisma/schema.prisma.
// The `prisma-client` generator needs no native engine; pointing PRISMA_SCHEMA_ENGINE_BINARY at an existing
// file stops the CLI from trying to download one (machines without Prisma's binary host).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
const result = spawnSync(
  process.execPath,
  [path.join(pkg, "node_modules/prisma/build/index.js"), "generate", "--config", "prisma.config.ts"],
  { cwd: pkg, env, stdio: "inherit" },
);
process.exit(result.status ?? 1);
