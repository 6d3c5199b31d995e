import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@inbox/db/testing";
import { listConversations } from "./list-conversations";

/**
 * The inbox search (`q`) runs ILIKE '%…%' over message text and contact names. Without a trigram index each search
 * reads every message; these pin that the index exists and serves that pattern (the planner is told to avoid
 * sequential scans, as it would on a large table), and that the search still finds what it should.
 */
describe("inbox search", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t.drop());

  const planOf = async (sql: string) =>
    t.db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      const rows = await tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN ${sql}`);
      return rows.map((r) => r["QUERY PLAN"]).join("\n");
    });

  it("message text and contact names are searched through trigram indexes", async () => {
    expect(await planOf(`SELECT id FROM "Message" WHERE text ILIKE '%bestellung%'`)).toContain("Message_text_trgm_idx");
    expect(await planOf(`SELECT id FROM "Contact" WHERE "displayName" ILIKE '%muster%'`)).toContain(
      "Contact_displayName_trgm_idx",
    );
    expect(await planOf(`SELECT id FROM "Contact" WHERE "profileName" ILIKE '%muster%'`)).toContain(
      "Contact_profileName_trgm_idx",
    );
  });

  it("finds conversations by message text (3+ characters) and by name", async () => {
    const channel = await t.db.channel.create({ data: { type: "whatsapp", name: "WA", externalId: "1" } });
    const contact = await t.db.contact.create({
      data: { channelId: channel.id, waId: "491701234567", profileName: "Erika Mustermann" },
    });
    const conversation = await t.db.conversation.create({
      data: { channelId: channel.id, contactId: contact.id, activeContactId: contact.id },
    });
    await t.db.message.create({
      data: {
        conversationId: conversation.id,
        channelId: channel.id,
        direction: "inbound",
        type: "text",
        text: "Wo bleibt meine Bestellung 4711?",
        status: "received",
      },
    });
    const admin = { id: "00000000-0000-0000-0000-000000000000", role: "admin" as const, teamIds: [] };
    const search = async (q: string) =>
      (await listConversations(t.db, admin, { q, status: "all", limit: 50 })).items.map((c) => c.id);
    expect(await search("bestellung")).toEqual([conversation.id]);
    expect(await search("MUSTER")).toEqual([conversation.id]);
    expect(await search("Wo")).toEqual([]); // two characters: names only
    expect(await search("4711x")).toEqual([]);
  });

  it("finds numbers in national and international notation and note text, and says where it matched", async () => {
    const channel = await t.db.channel.create({ data: { type: "whatsapp", name: "WA2", externalId: "2" } });
    const contact = await t.db.contact.create({
      data: { channelId: channel.id, waId: "491512345678", displayName: "Jonas Beispiel" },
    });
    const conversation = await t.db.conversation.create({
      data: { channelId: channel.id, contactId: contact.id, activeContactId: contact.id },
    });
    await t.db.message.create({
      data: {
        conversationId: conversation.id,
        channelId: channel.id,
        direction: "outbound",
        type: "note",
        isPrivate: true,
        text: "Kunde wünscht Rückruf am Donnerstag",
        status: "sent",
      },
    });
    const admin = { id: "00000000-0000-0000-0000-000000000000", role: "admin" as const, teamIds: [] };
    const search = async (q: string) => (await listConversations(t.db, admin, { q, status: "all", limit: 50 })).items;
    for (const q of ["0151 2345678", "0151-2345678", "+49 151 2345678", "0049 1512345678", "01512345678"]) {
      const found = await search(q);
      expect(
        found.map((c) => c.id),
        q,
      ).toEqual([conversation.id]);
      const m = found[0]!.match!;
      expect(m.field).toBe("number");
      expect(m.text.slice(m.start, m.end)).toMatch(/1512345678$/);
    }
    expect(await search("0152 2345678")).toEqual([]);

    const [byNote] = await search("rückruf");
    expect(byNote?.id).toBe(conversation.id);
    expect(byNote?.match?.field).toBe("note");
    expect(byNote!.match!.text.slice(byNote!.match!.start, byNote!.match!.end)).toBe("Rückruf");

    const [byName] = await search("beispiel");
    expect(byName?.match).toMatchObject({ field: "name", text: "Jonas Beispiel", start: 6, end: 14 });
    // Without q, lists carry no match.
    expect((await listConversations(t.db, admin, { status: "all", limit: 50 })).items[0]?.match).toBeUndefined();
  });
});
