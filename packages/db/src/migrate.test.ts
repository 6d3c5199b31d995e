import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, diffDatabaseToSchema, readMigrations } from "./migrate";
import { createTestDatabase, type TestDatabase } from "./testing";

describe("migrations (wasm schema engine)", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it("produce exactly prisma/schema.prisma: no drift", async () => {
    // The test database is a clone of the template that global setup migrated from prisma/migrations.
    expect(await diffDatabaseToSchema(t.url)).toBe("");
  });

  it("are recorded in _prisma_migrations and applying again is a no-op", async () => {
    const folders = await readMigrations();
    expect(folders.length).toBeGreaterThan(0);
    const rows = await t.db.$queryRaw<{ migration_name: string; finished_at: Date | null }[]>`
      SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name`;
    expect(rows.map((r) => r.migration_name)).toEqual(folders.map((f) => f.name));
    expect(rows.every((r) => r.finished_at)).toBe(true);
    expect(await applyMigrations(t.url)).toEqual([]);
  });

  it("enforce the constraints the pipelines rely on", async () => {
    const channel = await t.db.channel.create({ data: { type: "whatsapp", name: "WA", externalId: "1" } });
    const contact = await t.db.contact.create({ data: { channelId: channel.id, waId: "491701234567" } });
    const conversation = await t.db.conversation.create({
      data: { channelId: channel.id, contactId: contact.id, activeContactId: contact.id },
    });
    const message = {
      conversationId: conversation.id,
      channelId: channel.id,
      direction: "inbound" as const,
      type: "text",
      status: "received" as const,
      externalId: "wamid.X",
    };
    await t.db.message.create({ data: message });
    await expect(t.db.message.create({ data: message })).rejects.toMatchObject({ code: "P2002" });
    await expect(
      t.db.conversation.create({ data: { channelId: channel.id, contactId: contact.id, activeContactId: contact.id } }),
    ).rejects.toMatchObject({ code: "P2002" });
    await expect(t.db.contact.create({ data: { channelId: channel.id, waId: "491701234567" } })).rejects.toMatchObject({
      code: "P2002",
    });
  });

  it("run a migration file as one script, as Prisma's CLI does: semicolons in comments and function bodies are fine", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "inbox-migrations-"));
    const write = async (name: string, sql: string) => {
      await mkdir(path.join(dir, name));
      await writeFile(path.join(dir, name, "migration.sql"), sql);
    };
    try {
      await write(
        "20000101000000_function",
        `-- a comment; with a semicolon
CREATE FUNCTION migrate_probe(a int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE b int := 1; -- and another;
BEGIN
  b := b + a;
  RETURN b;
END
$$;
CREATE TABLE migrate_probe_t (v text DEFAULT 'x;y');
`,
      );
      expect(await applyMigrations(t.url, dir)).toEqual(["20000101000000_function"]);
      const [row] = await t.db.$queryRaw<{ v: number }[]>`SELECT migrate_probe(41) AS v`;
      expect(row?.v).toBe(42);
      await write("20000102000000_broken", "CREATE TABLE migrate_probe_t (v text);");
      await expect(applyMigrations(t.url, dir)).rejects.toThrow(/already exists/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
