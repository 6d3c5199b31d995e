/**
 * Throughput accounting: Meta allows `throughput` messages per second per number ([TP] in
 * the team's Cloud API notes §6) and answers 130429 above it. The simulator counts accepted sends in
 * any sliding second by the time the request *arrived* (stamped before the body is parsed), so a simulator that
 * was busy does not turn an evenly paced stream into a burst.
 */
import { describe, expect, it } from "vitest";
import { GraphError } from "./simulator";
import { buildSimulator } from "./app";
import { TEST_PHONE_NUMBER_ID, TEST_TOKEN, testOptions } from "./test-helpers";

const text = (i: number) => ({
  messaging_product: "whatsapp" as const,
  recipient_type: "individual" as const,
  to: `+49151${String(i).padStart(7, "0")}`,
  type: "text" as const,
  text: { body: "x" },
});

describe("throughput accounting", () => {
  it("accepts `limit` sends in any sliding second by arrival time, then 130429; a second later there is room again", () => {
    let now = 1_000_000;
    const { sim } = buildSimulator(
      testOptions("http://127.0.0.1:9/webhooks/whatsapp", {
        webhookMaxAttempts: 1,
        throughputPerSec: 10,
        now: () => now,
      }),
    );
    // Ten arrivals spread over 900 ms, all handled late and at the same moment: still within the limit.
    now += 2_000;
    for (let i = 0; i < 10; i++) expect(() => sim.acceptSend(text(i), 1_001_000 + i * 100)).not.toThrow();
    // An eleventh arriving within the same second is refused.
    const refused = (() => {
      try {
        sim.acceptSend(text(10), 1_001_950);
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(GraphError);
    expect((refused as GraphError).body.error.code).toBe(130429);
    // 1,000 ms after the first arrival it has left the window.
    expect(() => sim.acceptSend(text(11), 1_002_000)).not.toThrow();
  });

  it("stamps the arrival before the body is parsed (Graph route)", async () => {
    const built = buildSimulator(
      testOptions("http://127.0.0.1:9/webhooks/whatsapp", { webhookMaxAttempts: 1, throughputPerSec: 2 }),
    );
    try {
      const post = (i: number) =>
        built.app.inject({
          method: "POST",
          url: `/v25.0/${TEST_PHONE_NUMBER_ID}/messages`,
          headers: { authorization: `Bearer ${TEST_TOKEN}` },
          payload: text(i),
        });
      const codes = [(await post(1)).statusCode, (await post(2)).statusCode];
      const third = await post(3);
      expect(codes).toEqual([200, 200]);
      expect(third.json()).toMatchObject({ error: { code: 130429 } });
      // Counted for tests and operators of the simulator; a reset starts the count again.
      const state = async () => (await built.app.inject({ method: "GET", url: "/_control/state" })).json<object>();
      expect(await state()).toMatchObject({ throughputRefusals: 1 });
      await post(4);
      expect(await state()).toMatchObject({ throughputRefusals: 2 });
      built.sim.reset();
      expect(await state()).toMatchObject({ throughputRefusals: 0 });
    } finally {
      await built.app.close();
    }
  });
});
