/**
 * Two consoles through the api over real websockets: what one agent writes in a conversation reaches the console of
 * a colleague who may see it — the reply and the private note alike — and not the console of someone who may not.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AddressInfo } from "node:net";
import * as fx from "@inbox/whatsapp/fixtures";
import { postSignedWebhook } from "../test/signed-webhook";
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

describe("a burst", () => {
  const APP_SECRET = "live-burst-secret";
  let t: TestApp;
  let baseUrl: string;
  let admin: Agent;

  beforeAll(async () => {
    t = await createTestApp({}, { WHATSAPP_APP_SECRET: APP_SECRET });
    const team = await t.deps.db.team.create({ data: { name: "Support" } });
    await t.deps.db.channel.create({
      data: { type: "whatsapp", name: "WA", externalId: fx.META_METADATA.phone_number_id, defaultTeamId: team.id },
    });
    await makeUser(t, "admin@example.test", "admin");
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    admin = await login(t, "admin@example.test");
  });
  afterAll(async () => {
    await t.close();
  });

  /** Meta's text example from `from`, with its own wamid and text. */
  const delivery = (from: string, text: string) => {
    const p = structuredClone(fx.TEXT_MESSAGE_WEBHOOK) as {
      entry: { changes: { value: { contacts: { wa_id: string }[]; messages: Record<string, unknown>[] } }[] }[];
    };
    const v = p.entry[0]!.changes[0]!.value;
    v.contacts[0]!.wa_id = from;
    Object.assign(v.messages[0]!, { from, id: `wamid.burst-${text}`, text: { body: text } });
    return p;
  };

  it("customers writing at once while an agent answers: every message reaches the console once, in order per conversation", async () => {
    const console = await openLiveConsole(baseUrl, admin);
    try {
      await expect.poll(() => console.isReady()).toBe(true);
      const customers = Array.from({ length: 8 }, (_, i) => `4917100000${String(i).padStart(2, "0")}`);
      const PER_CUSTOMER = 15;
      // Each customer writes one message after the other (acknowledged before the next), all customers at once; after
      // a customer's fifth message the agent adds a note to that conversation.
      const NOTE_AFTER = 4;
      await Promise.all(
        customers.map(async (from, c) => {
          for (let i = 0; i < PER_CUSTOMER; i++) {
            const res = await postSignedWebhook(t.app, delivery(from, `c${c}-${i}`), APP_SECRET);
            expect(res.statusCode).toBe(200);
            if (i !== NOTE_AFTER) continue;
            const { conversationId } = await t.deps.db.message.findFirstOrThrow({
              where: { externalId: `wamid.burst-c${c}-${i}` },
            });
            const note = await t.app.inject({
              method: "POST",
              url: `/api/conversations/${conversationId}/messages`,
              headers: admin.headers,
              payload: { type: "note", text: `c${c}-note`, clientId: `burst-note-${c}` },
            });
            expect(note.statusCode).toBe(202);
          }
        }),
      );

      const created = () => console.envelopes.flatMap((e) => (e.event.type === "message.created" ? [e.event] : []));
      await expect.poll(() => created().length, { timeout: 5_000 }).toBe(customers.length * (PER_CUSTOMER + 1));
      const byConversation = new Map<string, string[]>();
      for (const event of created()) {
        const texts = byConversation.get(event.conversationId) ?? [];
        byConversation.set(event.conversationId, [...texts, event.message.text ?? ""]);
      }
      // Per conversation: the customer's messages and the agent's note in the order written; nothing twice.
      expect(byConversation.size).toBe(customers.length);
      for (const texts of byConversation.values()) {
        const customer = texts[0]!.split("-")[0]!;
        const written = Array.from({ length: PER_CUSTOMER }, (_, i) => `${customer}-${i}`);
        written.splice(NOTE_AFTER + 1, 0, `${customer}-note`);
        expect(texts).toEqual(written);
      }
      const seqs = console.envelopes.map((e) => e.seq);
      expect(seqs.every((seq, i) => i === 0 || seq > seqs[i - 1]!)).toBe(true);
    } finally {
      console.close();
    }
  });
});
