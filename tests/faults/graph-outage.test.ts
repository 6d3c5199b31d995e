/**
 * Fault (d): Meta's Graph API fails for a period while agents reply. The issue asks for "a minute"; the period here is
 * a parameter of the simulator (`forMs`) set to seconds, because what the product does does not change with the
 * length — sends are retried with exponential backoff (1 s, 2 s, 4 s, 8 s … capped at 5 min, ten attempts) — and a
 * minute per phase would take most of the fault suite's budget. The waits the product applies after an ambiguous
 * answer are shortened the same way (FAULT_GRAPH_TIMEOUT_MS, FAULT_RECONCILE_GRACE_MS; product: 15 s and 2 min).
 *
 * - 5xx for a period: nothing reached Meta, so every reply is sent after it recovers, once.
 * - Timeouts where Meta accepted the message but the answer got lost: the product must not send again; Meta's status
 *   webhook (carrying our message id) records the wamid. Every reply on the phone once.
 * - Timeouts where Meta never got the message: the outcome is unknown to the product, which never guesses (a second
 *   copy could double it): after the grace period the reply shows as failed, "delivery unconfirmed", for the agent
 *   to send again. None arrives twice.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openConversations, outboundByStatus, phonesFor, sleep, startStack, waitUntil, type Stack } from "./harness";

const OUTAGE_MS = 8_000;
const GRACE_MS = 10_000;
let stack: Stack;
let phones: string[];
let conversations: Map<string, string>;

beforeAll(async () => {
  stack = await startStack({
    workers: 1,
    workerEnv: { FAULT_GRAPH_TIMEOUT_MS: "1000", FAULT_RECONCILE_GRACE_MS: String(GRACE_MS) },
  });
  phones = phonesFor(8, "4915230");
  conversations = await openConversations(stack, phones);
});

afterAll(async () => {
  await stack?.stop();
});

async function replyToAll(prefix: string, perCustomer: number): Promise<string[]> {
  const session = await stack.logIn();
  const texts: string[] = [];
  for (let r = 0; r < perCustomer; r++) {
    await Promise.all(
      phones.map((phone, i) => {
        const text = `${prefix} ${i}-${r}`;
        texts.push(text);
        return stack.reply(session, conversations.get(phone)!, text);
      }),
    );
  }
  return texts;
}

async function settled(timeoutMs: number): Promise<void> {
  await waitUntil(
    async () => {
      const byStatus = await outboundByStatus(stack.t);
      return !byStatus.queued && !byStatus.sending;
    },
    "every reply settled",
    timeoutMs,
  ).catch(async (error: unknown) => {
    throw new Error(`${String(error)}: ${JSON.stringify(await outboundByStatus(stack.t))}`);
  });
}

async function outboundOf(prefix: string) {
  const rows = await stack.t.db.message.findMany({
    where: { direction: "outbound", text: { startsWith: `${prefix} ` } },
    select: { text: true, status: true, externalId: true, errorTitle: true, attempts: true },
  });
  return rows;
}

describe("the Graph API failing for a period", () => {
  it("5xx: every reply is delivered after it recovers, none doubled", async () => {
    await stack.simulatorControl("/_control/force", { http: 503, forMs: OUTAGE_MS });
    const startedAt = Date.now();
    const texts = await replyToAll("outage", 5);
    await settled(60_000);
    const rows = await outboundOf("outage");
    expect(
      rows.every((m) => ["sent", "delivered", "read"].includes(m.status)),
      JSON.stringify(rows),
    ).toBe(true);
    // They were refused at first (retried), not sent around the outage.
    expect(rows.some((m) => m.attempts > 1)).toBe(true);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(OUTAGE_MS);
    const received = await stack.receivedCounts(phones);
    for (const text of texts) expect(received.get(text), text).toBe(1);
  });

  it("timeouts after Meta accepted: recorded from the status webhook, never sent twice", async () => {
    const periodEnds = Date.now() + 4_000;
    await stack.simulatorControl("/_control/force", { timeout: true, accepted: true, forMs: 4_000 });
    const texts = await replyToAll("lost-answer", 2);
    await settled(60_000);
    const rows = await outboundOf("lost-answer");
    expect(
      rows.every((m) => ["sent", "delivered", "read"].includes(m.status)),
      JSON.stringify(rows),
    ).toBe(true);
    for (const m of rows) expect(m.externalId).toMatch(/^wamid\./);
    const received = await stack.receivedCounts(phones);
    for (const text of texts) expect(received.get(text), text).toBe(1);
    // The next phase's failure must not queue behind this period's.
    await sleep(Math.max(0, periodEnds - Date.now() + 100));
  });

  it("timeouts Meta never saw: shown as unconfirmed after the grace period, never sent twice", async () => {
    await stack.simulatorControl("/_control/force", { timeout: true, forMs: 2_500 });
    const texts = await replyToAll("unanswered", 1);
    await settled(60_000);
    const rows = await outboundOf("unanswered");
    const received = await stack.receivedCounts(phones);
    for (const text of texts) expect(received.get(text) ?? 0, text).toBeLessThanOrEqual(1);
    const unconfirmed = rows.filter((m) => m.status === "failed");
    expect(
      unconfirmed.length,
      `some calls timed out: ${JSON.stringify(rows)} ${JSON.stringify([...received])}`,
    ).toBeGreaterThan(0);
    for (const m of unconfirmed) {
      expect(m.errorTitle).toBe("delivery_unconfirmed");
      expect(received.has(m.text!)).toBe(false);
    }
    for (const m of rows.filter((x) => x.status !== "failed")) expect(received.get(m.text!)).toBe(1);
  });
});
