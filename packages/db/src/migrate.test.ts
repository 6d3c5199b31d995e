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
    const message = { conversationId: conversation.id, channelId: channel.id, direction: "inbound" as const, type: "text", status: "received" as const, externalId: "wamid.X" };
    await t.db.message.create({ data: message });
    await expect(t.db.message.create({ data: message })).rejects.toMatchObject({ code: "P2002" });
    await expect(
      t.db.conversation.create({ data: { channelId: channel.id, contactId: contact.id, activeContactId: contact.id } }),
    ).rejects.toMatchObject({ code: "P2002" });
    await expect(t.db.contact.create({ data: { channelId: channel.id, waId: "491701234567" } })).rejects.toMatchObject({
      code: "P2002",
    });
  });
});
