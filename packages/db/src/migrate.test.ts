import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, diffDatabaseToSchema, MIGRATIONS_DIR, readMigrations } from "./migrate";
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

  it("keep the trigram indexes' pending lists short, so no insert merges 4 MB of them inside a delivery's commit", async () => {
    // bench/trigram-pending.ts: with Postgres's default limit one insert in ~4,600 waited 25–45 ms for the merge; at
    // 512 kB one a second at 1,000 messages/s waited 8–20 ms; at 128 kB none over 10 ms.
    const rows = await t.db.$queryRaw<{ relname: string; reloptions: string[] | null }[]>`
      SELECT relname, reloptions FROM pg_class WHERE relname LIKE '%\_trgm\_idx' ORDER BY relname`;
    expect(rows).toEqual([
      { relname: "Contact_displayName_trgm_idx", reloptions: ["gin_pending_list_limit=128"] },
      { relname: "Contact_profileName_trgm_idx", reloptions: ["gin_pending_list_limit=128"] },
      { relname: "Message_text_trgm_idx", reloptions: ["gin_pending_list_limit=128"] },
    ]);
  });

  it("plan the inbound write path's statements once per session, as index paths whatever the tables hold", async () => {
    // Static statements with the function's own settings: planned once per session (generic plans) instead of at every
    // call, and with sequential scans priced out a plan made on a small table cannot scan it once it has grown.
    const [fn] = await t.db.$queryRaw<{ config: string[] | null; source: string }[]>`
      SELECT proconfig AS config, prosrc AS source FROM pg_proc WHERE proname = 'inbox_store_messages'`;
    expect(fn!.config).toEqual(["enable_seqscan=off", "plan_cache_mode=force_generic_plan"]);
    expect(fn!.source).not.toMatch(/\bEXECUTE\b/);
  });

  it("plan the console's conversation read once per session, along the indexes only", async () => {
    // The live events' current state after every burst of webhooks, and every list the console loads: planned at every
    // call it cost as much as it ran. The preview must walk (conversationId, createdAt DESC), never sort a whole thread.
    const [fn] = await t.db.$queryRaw<{ config: string[] | null; language: string }[]>`
      SELECT p.proconfig AS config, l.lanname AS language
        FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang WHERE p.proname = 'inbox_conversation_dtos'`;
    expect(fn).toEqual({
      // PL/pgSQL keeps a statement's plan for the session; a SQL function would be inlined and planned per call.
      language: "plpgsql",
      config: ["enable_seqscan=off", "enable_bitmapscan=off", "enable_sort=off", "plan_cache_mode=force_generic_plan"],
    });
  });

  it("20261206090000 marks the conversations of route jobs already in the outbox as routed, of either payload shape", async () => {
    const channel = await t.db.channel.create({ data: { type: "whatsapp", name: "WA2", externalId: "2" } });
    const conversation = async (waId: string) => {
      const contact = await t.db.contact.create({ data: { channelId: channel.id, waId } });
      return (await t.db.conversation.create({ data: { channelId: channel.id, contactId: contact.id } })).id;
    };
    const [a, b, c, none] = [
      await conversation("491700000001"),
      await conversation("491700000002"),
      await conversation("491700000003"),
      await conversation("491700000004"),
    ];
    await t.db.outboxJob.createMany({
      data: [
        { name: "conversation.route", payload: { conversationIds: [a, b] }, jobId: `r-${a}`, dispatchedAt: new Date() },
        { name: "conversation.route", payload: { conversationId: c }, jobId: `r-${c}` },
        { name: "media.download", payload: { mediaAssetId: none }, jobId: `m-${none}` },
      ],
    });
    const sql = await readFile(
      path.join(MIGRATIONS_DIR, "20261206090000_conversation_routed_at/migration.sql"),
      "utf8",
    );
    const backfill = sql.slice(sql.indexOf("UPDATE"));
    expect(backfill).toMatch(/^UPDATE "Conversation"/);
    await t.db.$executeRawUnsafe(backfill);
    const rows = await t.db.conversation.findMany({
      where: { channelId: channel.id },
      select: { id: true, routedAt: true, createdAt: true },
    });
    const routedAt = new Map(rows.map((r) => [r.id, r.routedAt?.getTime() ?? null]));
    const createdAt = new Map(rows.map((r) => [r.id, r.createdAt.getTime()]));
    for (const id of [a, b, c]) expect(routedAt.get(id)).toBe(createdAt.get(id));
    expect(routedAt.get(none)).toBeNull();
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
