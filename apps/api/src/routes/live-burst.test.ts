/**
 * The live property that matters under load (issue 19): during a burst of signed webhook deliveries — several
 * customers at once, several messages per delivery — and a colleague's replies and notes at the same time, a console
 * receives every message.created exactly once, and per conversation in the order the messages are stored, which is
 * the order the customer (or the colleague) wrote them. Real api, websocket, Postgres and Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AddressInfo } from "node:net";
import type { MessageDto } from "@inbox/contracts";
import { openLiveConsole, type LiveConsole } from "../test/live-console";
import { postSignedWebhook } from "../test/signed-webhook";
import { createTestApp, login, makeUser, type Agent, type TestApp } from "../test/test-app";

const APP_SECRET = "live-burst-app-secret";
const PHONE_NUMBER_ID = "106540352242922";
const CUSTOMERS = 10;
const MESSAGES_PER_CUSTOMER = 20;
/** Messages per delivery, in turn: Meta batches a customer's messages sent in quick succession. */
const DELIVERY_SIZES = [1, 3, 2, 1, 4];
const POSTS_PER_CONVERSATION = 6;

/** One signed delivery of `texts`, in this order, from one customer. */
function delivery(waId: string, texts: { text: string; wamid: string }[]) {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550783881", phone_number_id: PHONE_NUMBER_ID },
              contacts: [{ profile: { name: `Kunde ${waId.slice(-2)}` }, wa_id: waId }],
              messages: texts.map(({ text, wamid }) => ({
                from: waId,
                id: wamid,
                timestamp: String(Math.floor(Date.now() / 1000)),
                type: "text",
                text: { body: text },
              })),
            },
          },
        ],
      },
    ],
  };
}

describe("a burst of deliveries and replies, read by a console", () => {
  let t: TestApp;
  let baseUrl: string;
  let channelId: string;
  let alice: Agent;
  let bob: Agent;

  beforeAll(async () => {
    t = await createTestApp({}, { WHATSAPP_APP_SECRET: APP_SECRET });
    await makeUser(t, "alice@example.test", "agent", ["Support"]);
    await makeUser(t, "bob@example.test", "agent", ["Support"]);
    const support = await t.deps.db.team.findUniqueOrThrow({ where: { name: "Support" } });
    channelId = (
      await t.deps.db.channel.create({
        data: { type: "whatsapp", name: "WhatsApp", externalId: PHONE_NUMBER_ID, defaultTeamId: support.id },
      })
    ).id;
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    [alice, bob] = await Promise.all([login(t, "alice@example.test"), login(t, "bob@example.test")]);
  });
  afterAll(async () => {
    await t.close();
  });

  it("every message.created arrives once, per conversation in the order stored, which is the order written", async () => {
    const aliceConsole: LiveConsole = await openLiveConsole(baseUrl, alice);
    try {
      await expect.poll(() => aliceConsole.isReady()).toBe(true);
      const db = t.deps.db;
      /** Per customer, the texts in the order the customer wrote them; per conversation, bob's in his order. */
      const written = new Map<string, string[]>();
      const posted = new Map<string, string[]>();

      // Bob answers each conversation as soon as it exists, alternating replies and notes, each after the previous
      // was accepted — while the customers keep writing.
      const bobAnswers = async (conversationId: string, customer: number) => {
        const mine: string[] = [];
        posted.set(conversationId, mine);
        for (let k = 0; k < POSTS_PER_CONVERSATION; k++) {
          const text = `bob ${customer} #${k}`;
          const res = await t.app.inject({
            method: "POST",
            url: `/api/conversations/${conversationId}/messages`,
            headers: bob.headers,
            payload: { type: k % 2 ? "note" : "text", text, clientId: `burst-${customer}-${k}` },
          });
          expect(res.statusCode, res.body).toBe(202);
          mine.push(text);
        }
      };
      // Every customer at once; one customer's deliveries one after another (each after the previous was answered,
      // as Meta sends them), several messages in most of them.
      const customerWrites = async (customer: number) => {
        const waId = `4917612300${String(customer).padStart(2, "0")}`;
        const texts: string[] = [];
        written.set(waId, texts);
        let answering: Promise<void> | undefined;
        for (let n = 0, d = 0; n < MESSAGES_PER_CUSTOMER; d++) {
          const size = Math.min(DELIVERY_SIZES[d % DELIVERY_SIZES.length]!, MESSAGES_PER_CUSTOMER - n);
          const batch = Array.from({ length: size }, (_, i) => ({
            text: `kunde ${customer} #${n + i}`,
            wamid: `wamid.burst-${customer}-${n + i}`,
          }));
          const res = await postSignedWebhook(t.app, delivery(waId, batch), APP_SECRET);
          expect(res.statusCode, res.body).toBe(200);
          texts.push(...batch.map((b) => b.text));
          n += size;
          if (!answering) {
            const conversation = await db.conversation.findFirstOrThrow({ where: { contact: { waId } } });
            answering = bobAnswers(conversation.id, customer);
          }
        }
        await answering;
      };
      await Promise.all(Array.from({ length: CUSTOMERS }, (_, i) => customerWrites(i)));

      // What the server stored, in its order (the order the thread shows: createdAt, then id).
      const stored = await db.message.findMany({
        where: { channelId },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: { id: true, conversationId: true, text: true, direction: true, isPrivate: true },
      });
      expect(stored).toHaveLength(CUSTOMERS * (MESSAGES_PER_CUSTOMER + POSTS_PER_CONVERSATION));
      const created = () => aliceConsole.envelopes.filter((e) => e.event.type === "message.created");
      await expect
        .poll(() => created().length, { timeout: 15_000, interval: 50 })
        .toBeGreaterThanOrEqual(stored.length);

      // Exactly once each, nothing else.
      const events = created().map((e) => (e.event as { message: MessageDto }).message);
      const counts = new Map<string, number>();
      for (const m of events) counts.set(m.id, (counts.get(m.id) ?? 0) + 1);
      expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
      expect([...counts.keys()].sort()).toEqual(stored.map((m) => m.id).sort());
      // Envelope sequence numbers only grow.
      const seqs = aliceConsole.envelopes.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

      for (const [waId, texts] of written) {
        const conversation = await db.conversation.findFirstOrThrow({ where: { contact: { waId } } });
        const id = conversation.id;
        const inOrder = (list: { conversationId: string; text: string | null; direction: string }[], dir: string) =>
          list.filter((m) => m.conversationId === id && m.direction === dir).map((m) => m.text);
        // Stored in the order written: the customer's messages, also those that came in one delivery …
        expect(inOrder(stored, "inbound")).toEqual(texts);
        // … and bob's replies and notes.
        expect(inOrder(stored, "outbound")).toEqual(posted.get(id));
        // The console heard each conversation's messages in that order.
        expect(inOrder(events, "inbound")).toEqual(texts);
        expect(inOrder(events, "outbound")).toEqual(posted.get(id));
        // The thread a console reads (newest first) is the stored order.
        const page = await t.app.inject({
          method: "GET",
          url: `/api/conversations/${id}/messages?limit=100`,
          headers: alice.headers,
        });
        expect(page.statusCode).toBe(200);
        const thread = page.json<{ items: MessageDto[] }>().items.map((m) => m.id);
        expect(thread.reverse()).toEqual(stored.filter((m) => m.conversationId === id).map((m) => m.id));
      }
    } finally {
      aliceConsole.close();
    }
  });
});
