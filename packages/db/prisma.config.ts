// Configuration for the Prisma CLI (client generation). Migrations run through `pnpm inbox migrate`,
// which uses Prisma's wasm schema engine and needs no native binary.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "../../prisma/schema.prisma",
  migrations: { path: "../../prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres:postgres@127.0.0.1:5432/inbox" },
});
