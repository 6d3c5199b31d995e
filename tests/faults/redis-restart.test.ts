/**
 * Fault (b): Redis crashes (SIGKILL) and comes back two seconds later while customers write and agents reply. Redis
 * runs as production should (append-only file; here fsynced on every write): the api and the workers must reconnect
 * by themselves, webhooks that could not be taken meanwhile are redelivered by Meta (the simulator retries like it),
 * replies the api could not take are posted again by the console with the same clientId. Afterwards: every customer
 * message stored once, every reply on a phone once. (apps/worker/src/maintenance/redis-restart.test.ts covers a Redis
 * that loses everything: the sweeper re-creates the jobs.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openConversations, outboundByStatus, phonesFor, sleep, startStack, waitUntil, type Stack } from "./harness";

const CUSTOMERS = 10;
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ workers: 2, persistentRedis: true, throughputLimit: 40 });
});

afterAll(async () => {
  await stack?.stop();
});

describe("Redis restarted under inbound and outbound load", () => {
  it("nothing is lost and nothing doubled on either side", async () => {
    const phones = phonesFor(CUSTOMERS, "4915220");
    const conversations = await openConversations(stack, phones);
    const session = await stack.logIn();

    const inbound: string[] = [];
    const replies: string[] = [];
    let running = true;
    const customers = phones.map(async (phone, i) => {
      for (let n = 0; running; n++) {
        const text = `customer ${i}-${n}`;
        await stack.customerSays(phone, text);
        inbound.push(text);
        await sleep(150);
      }
    });
    const agents = phones.map(async (phone, i) => {
      for (let n = 0; running; n++) {
        const text = `agent ${i}-${n}`;
        await stack.reply(session, conversations.get(phone)!, text);
        replies.push(text);
        await sleep(150);
      }
    });

    try {
      await waitUntil(async () => replies.length >= 40 && inbound.length >= 40, "load under way", 60_000);
      await stack.redis.stop();
      await sleep(2_000);
      await stack.redis.start();
      const afterRestart = replies.length;
      await waitUntil(async () => replies.length >= afterRestart + 40, "replies accepted after the restart", 60_000);
      // The api is ready again by itself.
      await waitUntil(async () => (await fetch(`${stack.apiUrl}/readyz`)).ok, "/readyz after the restart", 30_000);
    } finally {
      running = false;
      await Promise.all([...customers, ...agents]);
    }

    // Inbound: every customer message stored, once (the first hello per customer included).
    await waitUntil(
      async () => (await stack.t.db.message.count({ where: { direction: "inbound" } })) >= inbound.length + CUSTOMERS,
      "every customer message stored",
      60_000,
    );
    const stored = await stack.t.db.message.findMany({ where: { direction: "inbound" }, select: { text: true } });
    const storedTexts = stored.map((m) => m.text!).filter((text) => text.startsWith("customer "));
    expect(storedTexts.sort()).toEqual([...inbound].sort());
    const state = (await (await fetch(`${stack.simUrl}/_control/state`)).json()) as { webhooks: { failed: number } };
    expect(state.webhooks.failed, "webhook deliveries the simulator gave up on").toBe(0);

    // Outbound: every reply settled and on its customer's phone exactly once.
    await waitUntil(
      async () => {
        const byStatus = await outboundByStatus(stack.t);
        return !byStatus.queued && !byStatus.sending;
      },
      "every reply settled",
      90_000,
    ).catch(async (error: unknown) => {
      throw new Error(`${String(error)}: ${JSON.stringify(await outboundByStatus(stack.t))}`);
    });
    expect(await stack.t.db.message.count({ where: { direction: "outbound" } })).toBe(replies.length);
    const received = await stack.receivedCounts(phones);
    expect([...received].filter(([, n]) => n !== 1)).toEqual([]);
    expect([...received.keys()].sort()).toEqual([...replies].sort());
  });
});
