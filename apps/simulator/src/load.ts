import { z } from "zod";
import type { CloudApiSimulator, Customer } from "./simulator";

export const LoadOptionsSchema = z.object({
  customers: z.number().int().min(1).max(100_000),
  ratePerSec: z.number().min(0.1).max(10_000),
  durationSec: z.number().min(0.1).max(3600),
  /** share of customers identified only by BSUID */
  bsuidShare: z.number().min(0).max(1).default(0),
});
export type LoadOptions = z.input<typeof LoadOptionsSchema>;

export interface LoadReport {
  customers: number;
  ratePerSec: number;
  durationSec: number;
  /** messages started on schedule */
  sent: number;
  /** answered 200 by the receiver on the first attempt */
  accepted: number;
  failed: number;
  elapsedMs: number;
  achievedRatePerSec: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
}

/**
 * Load mode: N virtual customers send text messages at a target rate, open loop (a message starts on schedule
 * whether or not earlier ones were answered), one delivery attempt each, so the report measures the receiver.
 */
export async function runLoad(sim: CloudApiSimulator, input: LoadOptions): Promise<LoadReport> {
  const options = LoadOptionsSchema.parse(input);
  const customers: Customer[] = [];
  for (let i = 0; i < options.customers; i++) {
    const isBsuid = i < Math.round(options.customers * options.bsuidShare);
    customers.push(
      isBsuid
        ? sim.addCustomer({ username: `load.user.${i}`, isBsuidOnly: true, name: `Last ${i}` })
        : sim.addCustomer({ phone: `+4917${String(10_000_000 + i)}`, name: `Last ${i}` }),
    );
  }
  const total = Math.max(1, Math.round(options.ratePerSec * options.durationSec));
  const intervalMs = 1000 / options.ratePerSec;
  const latencies: number[] = [];
  let accepted = 0;
  let failed = 0;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const customer = customers[i % customers.length]!;
    const t0 = performance.now();
    inFlight.push(
      sim
        .receiveFromCustomer(
          customer,
          { type: "text", text: { body: `Lastnachricht ${i}` } },
          { wait: true, maxAttempts: 1 },
        )
        .then((r) => {
          latencies.push(performance.now() - t0);
          if (r.delivered) accepted++;
          else failed++;
        })
        .catch(() => {
          failed++;
        }),
    );
  }
  await Promise.all(inFlight);
  const elapsedMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    Math.round((latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0) * 10) / 10;
  return {
    customers: options.customers,
    ratePerSec: options.ratePerSec,
    durationSec: options.durationSec,
    sent: total,
    accepted,
    failed,
    elapsedMs: Math.round(elapsedMs),
    achievedRatePerSec: Math.round((total / (elapsedMs / 1000)) * 10) / 10,
    latencyMs: { p50: pct(0.5), p95: pct(0.95), p99: pct(0.99), max: pct(1) },
  };
}
