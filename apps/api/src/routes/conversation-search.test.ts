import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, makeUser, seedConversations, type Agent, type TestApp } from "../test/test-app";

describe("GET /api/conversations?q= — numbers as people write them, notes, the matching text", () => {
  let t: TestApp;
  let admin: Agent;
  let ids: string[];
  beforeAll(async () => {
    t = await createTestApp();
    await makeUser(t, "admin@example.com", "admin");
    admin = await login(t, "admin@example.com");
    ({ ids } = await seedConversations(t, { count: 3, teamIds: [null] }));
    const c = await t.t.db.conversation.findUniqueOrThrow({ where: { id: ids[1] } });
    await t.t.db.message.create({
      data: {
        conversationId: c.id,
        channelId: c.channelId,
        direction: "outbound",
        type: "note",
        isPrivate: true,
        status: "sent",
        text: "Rückruf wegen Reklamation R-889 vereinbart",
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });
  const search = async (q: string) =>
    (
      await t.app.inject({
        method: "GET",
        url: `/api/conversations?status=all&q=${encodeURIComponent(q)}`,
        headers: admin.headers,
      })
    ).json().items as { id: string; contact: { waId: string }; searchMatch?: string }[];

  it("a national number (0151 …) finds the customer stored as +49 151 …", async () => {
    // seedConversations stores 4915100000NN.
    expect((await search("0151 0000 001")).map((c) => c.id)).toEqual([ids[1]]);
    expect((await search("+49 151 0000 002")).map((c) => c.id)).toEqual([ids[2]]);
  });

  it("finds a private note's text and returns the matching excerpt", async () => {
    const found = await search("reklamation r-889");
    expect(found.map((c) => c.id)).toEqual([ids[1]]);
    expect(found[0]!.searchMatch).toBe("Rückruf wegen Reklamation R-889 vereinbart");
    expect((await search("Nummer 2"))[0]!.searchMatch).toBe("Hallo Nummer 2");
  });
});
