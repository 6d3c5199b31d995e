/** The control API (`/_control/*`, no auth): forced failures, clock, configuration, state, load mode. */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { runLoad, LoadOptionsSchema } from "./load";
import type { CloudApiSimulator } from "./simulator";

export async function controlRoutes(app: FastifyInstance, { sim }: { sim: CloudApiSimulator }): Promise<void> {
  const { options } = sim;
  // `count` requests, or every request for `forMs` (an outage of a period; count is then ignored).
  const span = { count: z.number().int().min(1).default(1), forMs: z.number().int().min(1).max(3_600_000).optional() };
  const ForceSchema = z.union([
    z.object({ code: z.number().int(), mode: z.enum(["sync", "async"]).default("sync"), ...span }),
    z.object({ http: z.number().int().min(500).max(599), ...span }),
    z.object({ timeout: z.literal(true), accepted: z.boolean().default(false), ...span }),
    z.object({ slowMs: z.number().int().min(1).max(120_000), ...span }),
  ]);

  app.post("/_control/force", async (request) => {
    const f = ForceSchema.parse(request.body);
    const when = { remaining: f.count, ...(f.forMs ? { until: Date.now() + f.forMs } : {}) };
    if ("code" in f) sim.force({ kind: "error", code: f.code, mode: f.mode, ...when });
    else if ("http" in f) sim.force({ kind: "http", status: f.http, ...when });
    else if ("timeout" in f) sim.force({ kind: "timeout", accepted: f.accepted, ...when });
    else sim.force({ kind: "slow", delayMs: f.slowMs, ...when });
    return { ok: true, pending: sim.forced.length };
  });

  app.post("/_control/reset", async () => {
    sim.reset();
    return { ok: true };
  });

  app.post("/_control/clock", async (request) => {
    const { advanceMs } = z.object({ advanceMs: z.number().int() }).parse(request.body);
    sim.advanceClock(advanceMs);
    return { now: sim.now() };
  });

  app.post("/_control/config", async (request) => {
    const body = z
      .object({
        throughputPerSec: z.number().int().min(1).optional(),
        duplicateRate: z.number().min(0).max(1).optional(),
        reorderRate: z.number().min(0).max(1).optional(),
        webhookUrl: z.url().optional(),
        isRegistered: z.boolean().optional(),
      })
      .parse(request.body);
    if (body.throughputPerSec) sim.throughputPerSec = body.throughputPerSec;
    if (body.duplicateRate !== undefined) sim.webhookBehaviour.duplicateRate = body.duplicateRate;
    if (body.reorderRate !== undefined) sim.webhookBehaviour.reorderRate = body.reorderRate;
    if (body.webhookUrl) sim.sender.setUrl(body.webhookUrl);
    if (body.isRegistered !== undefined) sim.isRegistered = body.isRegistered;
    return { ok: true };
  });

  app.get("/_control/state", async () => ({
    phoneNumberId: options.phoneNumberId,
    wabaId: options.wabaId,
    isRegistered: sim.isRegistered,
    storage: sim.storage,
    throughputPerSec: sim.throughputPerSec,
    /** Sends refused with 130429 (over `throughputPerSec` in a sliding second, by arrival) since the last reset. */
    throughputRefusals: sim.sendWindow.refused,
    customers: sim.customers.size,
    outbound: [...sim.outbound.entries()].map(([wamid, o]) => ({ wamid, customerId: o.customerId, status: o.status })),
    webhooks: sim.sender.stats,
    forced: sim.forced,
  }));

  /** A value-level error (system, app or account problem) surfaced without a message, e.g. 131000 or 130429. */
  app.post("/_control/value-error", async (request) => {
    const { code } = z.object({ code: z.number().int() }).parse(request.body);
    return { delivered: await sim.emitValueError(code) };
  });

  /** Any value, signed and sent as given (unknown types, bodiless messages, new fields): `{field?, value}`. */
  app.post("/_control/raw-webhook", async (request) => {
    const { field, value } = z
      .object({ field: z.string().min(1).default("messages"), value: z.record(z.string(), z.unknown()) })
      .parse(request.body);
    return { delivered: await sim.emitRawValue(value, field) };
  });

  app.post("/_control/load", async (request) => runLoad(sim, LoadOptionsSchema.parse(request.body)));
}
