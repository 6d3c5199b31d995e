import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runLoad } from "./load";
import type { RunningSimulator } from "./server";
import { startReceiver, startTestSimulator, type Receiver } from "./test-helpers";

let receiver: Receiver;
let sim: RunningSimulator;

beforeEach(async () => {
  receiver = await startReceiver();
  sim = await startTestSimulator(receiver.url);
});
afterEach(async () => {
  await sim.close();
  await receiver.close();
});

describe("load mode", () => {
  it("sends open loop at the target rate and reports what was sent", async () => {
    const report = await runLoad(sim.sim, { customers: 5, ratePerSec: 100, durationSec: 0.5, bsuidShare: 0.4 });
    expect(report.sent).toBe(50);
    expect(report.accepted).toBe(50);
    expect(report.failed).toBe(0);
    expect(receiver.received).toHaveLength(50);
    expect(report.latencyMs.max).toBeGreaterThan(0);
    const froms = new Set(
      receiver.received
        .map((p) => JSON.stringify(p.entry[0]!.changes[0]!.value))
        .map((v) => (JSON.parse(v) as { messages: { from: string }[] }).messages[0]!.from),
    );
    expect(froms.has("")).toBe(true);
  });
});
