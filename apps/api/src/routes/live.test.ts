/**
 * Two consoles through the api over real websockets: what one agent writes in a conversation reaches the console of
 * a colleague who may see it — the reply and the private note alike — and not the console of someone who may not.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AddressInfo } from "node:net";
import { createTestApp, login, makeUser, seedConversations, type Agent, type TestApp } from "../test/test-app";
import { openLiveConsole, type LiveConsole } from "../test/live-console";

/** The message.created events a console saw for one message id. */
const createdEvents = (console: LiveConsole, messageId: string) =>
  console.envelopes.filter((e) => e.event.type === "message.created" && e.event.message.id === messageId);

describe("two consoles", () => {
  let t: TestApp;
  let baseUrl: string;
  let conversationId: string;
  let alice: Agent;
  let bob: Agent;
  let carol: Agent;

  beforeAll(async () => {
    t = await createTestApp();
    await makeUser(t, "alice@example.test", "agent", ["Support"]);
    await makeUser(t, "bob@example.test", "agent", ["Support"]);
    await makeUser(t, "carol@example.test", "agent", ["Sales"]);
    const support = await t.deps.db.team.findUniqueOrThrow({ where: { name: "Support" } });
    conversationId = (await seedConversations(t, { count: 1, teamIds: [support.id] })).ids[0]!;
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    [alice, bob, carol] = await Promise.all([
      login(t, "alice@example.test"),
      login(t, "bob@example.test"),
      login(t, "carol@example.test"),
    ]);
  });
  afterAll(async () => {
    await t.close();
  });

  it("a reply and a private note by one agent reach a colleague's console within a second", async () => {
    const colleague = await openLiveConsole(baseUrl, bob);
    const otherTeam = await openLiveConsole(baseUrl, carol);
    try {
      await expect.poll(() => colleague.isReady() && otherTeam.isReady()).toBe(true);
      const post = (payload: object) =>
        t.app.inject({
          method: "POST",
          url: `/api/conversations/${conversationId}/messages`,
          headers: alice.headers,
          payload,
        });

      const reply = await post({ type: "text", text: "Wir kümmern uns darum.", clientId: "two-consoles-reply" });
      expect(reply.statusCode).toBe(202);
      const replyId = reply.json<{ id: string }>().id;
      await expect.poll(() => createdEvents(colleague, replyId).length, { timeout: 1_000, interval: 20 }).toBe(1);

      const note = await post({ type: "note", text: "Kunde hat zweimal angerufen.", clientId: "two-consoles-note" });
      expect(note.statusCode).toBe(202);
      const noteId = note.json<{ id: string }>().id;
      await expect.poll(() => createdEvents(colleague, noteId).length, { timeout: 1_000, interval: 20 }).toBe(1);

      const [replyEvent] = createdEvents(colleague, replyId);
      expect(replyEvent!.event).toMatchObject({
        conversationId,
        message: { id: replyId, direction: "outbound", type: "text", status: "queued", isPrivate: false },
      });
      const [noteEvent] = createdEvents(colleague, noteId);
      expect(noteEvent!.event).toMatchObject({
        conversationId,
        message: { id: noteId, type: "note", text: "Kunde hat zweimal angerufen.", isPrivate: true },
      });

      // The same clientId again is the same message: no second event.
      expect((await post({ type: "text", text: "x", clientId: "two-consoles-reply" })).statusCode).toBe(202);
      // Carol's team does not own the conversation: her console hears nothing of it. An event published after
      // both messages marks the point by which anything for Carol would have arrived.
      const marker = await post({ type: "note", text: "marker", clientId: "two-consoles-marker" });
      await expect
        .poll(() => createdEvents(colleague, marker.json<{ id: string }>().id).length, { timeout: 1_000 })
        .toBe(1);
      expect(createdEvents(colleague, replyId)).toHaveLength(1);
      expect(otherTeam.envelopes.filter((e) => e.event.type !== "presence")).toEqual([]);
    } finally {
      colleague.close();
      otherTeam.close();
    }
  });
});
