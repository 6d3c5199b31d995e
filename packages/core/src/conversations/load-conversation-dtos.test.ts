import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgSql } from "@inbox/db";
import { createTestDatabase, nestedPlansOf, type TestDatabase } from "@inbox/db/testing";
import { loadConversationDtos } from "./load-conversation-dtos";

// The conversations as the console lists them, read by the database function `inbox_conversation_dtos` (planned once
// per session): what each field holds, and that its plan stays index probes on a fresh install without statistics.
let t: TestDatabase;
let channelId: string;
let teamId: string;
const CONVERSATIONS = 1_500;

beforeAll(async () => {
  t = await createTestDatabase();
  // No autovacuum on this database's tables: the plans below must not depend on it having run.
  for (const table of ["Message", "Contact", "Conversation", "ConversationLabel", "Label"])
    await t.pgPool.query(`ALTER TABLE "${table}" SET (autovacuum_enabled = false)`);
  teamId = (await t.db.team.create({ data: { name: "Support" } })).id;
  channelId = (await t.db.channel.create({ data: { type: "whatsapp", name: "WA DE", externalId: "1" } })).id;
  // Many conversations with a message each, as after a campaign: a plan made on small tables must not scan them.
  await t.pgPool.query(
    `WITH ct AS (
       INSERT INTO "Contact" (id, "channelId", "waId", "profileName", "updatedAt")
       SELECT gen_random_uuid(), $1, '4917' || lpad(i::text, 9, '0'), 'Kunde ' || i, now() FROM generate_series(1, $2) i
       RETURNING id
     ), cv AS (
       INSERT INTO "Conversation" (id, "channelId", "contactId", "activeContactId", "updatedAt")
       SELECT gen_random_uuid(), $1, ct.id, ct.id, now() FROM ct RETURNING id
     )
     INSERT INTO "Message" (id, "conversationId", "channelId", direction, type, text, status, "updatedAt")
     SELECT gen_random_uuid(), cv.id, $1, 'inbound', 'text', 'Hallo', 'received', now() FROM cv`,
    [channelId, CONVERSATIONS],
  );
});
afterAll(async () => {
  await t.drop();
});

async function conversation(profileName: string | null) {
  const contact = await t.db.contact.create({
    data: { channelId, waId: `49160${Math.floor(Math.random() * 1e9)}`, profileName, displayName: "Frau Berg" },
  });
  return t.db.conversation.create({
    data: {
      channelId,
      contactId: contact.id,
      activeContactId: contact.id,
      teamId,
      unreadCount: 2,
      lastInboundAt: new Date("2026-12-01T10:00:00.000Z"),
      lastMessageAt: new Date("2026-12-01T10:00:00.000Z"),
    },
    include: { contact: true },
  });
}

describe("loadConversationDtos", () => {
  it("gives each conversation its contact, channel, labels by name and the preview of its newest visible message", async () => {
    const c = await conversation("Anna Berg");
    const message = (text: string | null, at: string, extra: { isPrivate?: boolean; type?: "image" } = {}) =>
      t.db.message.create({
        data: {
          conversationId: c.id,
          channelId,
          direction: "inbound",
          type: extra.type ?? "text",
          text,
          isPrivate: extra.isPrivate ?? false,
          status: "received",
          createdAt: new Date(at),
        },
      });
    await message("Erste Nachricht", "2026-12-01T09:00:00.000Z");
    await message("x".repeat(200), "2026-12-01T09:30:00.000Z");
    await message("Interne Notiz", "2026-12-01T11:00:00.000Z", { isPrivate: true });
    const [zebra, alpha] = [
      await t.db.label.create({ data: { name: "Zebra", color: "#000000" } }),
      await t.db.label.create({ data: { name: "Alpha" } }),
    ];
    await t.db.conversationLabel.createMany({
      data: [zebra, alpha].map((l) => ({ conversationId: c.id, labelId: l.id })),
    });

    const [dto] = await loadConversationDtos(t.db, [c.id]);
    expect(dto).toEqual({
      id: c.id,
      status: "open",
      channel: { id: channelId, type: "whatsapp", name: "WA DE" },
      contact: {
        id: c.contactId,
        waId: c.contact.waId,
        userId: null,
        username: null,
        profileName: "Anna Berg",
        displayName: "Frau Berg",
      },
      assigneeId: null,
      teamId,
      labels: [
        { id: alpha.id, name: "Alpha", color: "#64748b" },
        { id: zebra.id, name: "Zebra", color: "#000000" },
      ],
      unreadCount: 2,
      lastMessageAt: "2026-12-01T10:00:00.000Z",
      lastInboundAt: "2026-12-01T10:00:00.000Z",
      windowExpiresAt: "2026-12-02T10:00:00.000Z",
      snoozedUntil: null,
      // The private note is newer but not what the list shows; previews are cut at 140 characters.
      lastMessagePreview: "x".repeat(140),
      createdAt: c.createdAt.toISOString(),
    });

    await message(null, "2026-12-01T12:00:00.000Z", { type: "image" });
    const [withImage] = await loadConversationDtos(pgSql(t.pgPool), [c.id]);
    expect(withImage!.lastMessagePreview).toBe("[image]");
  });

  it("returns the conversations that exist, once each, and nothing for none", async () => {
    const [a, b] = [await conversation(null), await conversation(null)];
    const dtos = await loadConversationDtos(t.db, [b.id, "00000000-0000-4000-8000-000000000000", a.id, b.id]);
    expect(dtos.map((d) => d.id).sort()).toEqual([a.id, b.id].sort());
    expect(dtos.find((d) => d.id === a.id)).toMatchObject({ labels: [], lastMessagePreview: null });
    expect(await loadConversationDtos(t.db, [])).toEqual([]);
  });

  it("reads by index probes only, in every call of a session, on tables without statistics", async () => {
    // auto_explain reports the plan of the function's statement. It is planned once per session (a generic plan,
    // sequential scans priced out; migration …_conversation_dtos_cached_plan): seven calls show it does not change.
    const { rows } = await t.pgPool.query<{ id: string }>(
      `SELECT id FROM "Conversation" ORDER BY "createdAt", id LIMIT 175`,
    );
    const all = await nestedPlansOf(t.pgPool, async (client) => {
      for (let call = 0; call < 7; call++) {
        const ids = rows.slice(call * 25, call * 25 + 25).map((r) => r.id);
        const dtos = await loadConversationDtos(pgSql(client), ids);
        expect(dtos).toHaveLength(25);
        expect(dtos.every((d) => d.lastMessagePreview === "Hallo" && d.contact.profileName?.startsWith("Kunde"))).toBe(
          true,
        );
      }
    });
    const plan = all
      .split(/(?=duration: )/)
      .filter((p) => p.includes('"Conversation" c'))
      .join("\n");
    expect(plan).toMatch(/Index Scan using "Conversation_pkey"/);
    expect(plan).toMatch(/Index Scan using "Contact_pkey"/);
    expect(plan).toMatch(/Index Scan using "Message_conversationId_createdAt_idx"/);
    // The preview walks the conversation's messages newest first and stops at the first visible one: no sort of them.
    expect(plan).not.toMatch(/Seq Scan on "(Message|Contact|Conversation)"|Bitmap Heap Scan|Sort Key/);
  });
});
