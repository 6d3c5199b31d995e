/** The control API (`/_control/*`, no auth): forced failures, clock, configuration, state, load mode. */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { runLoad, LoadOptionsSchema } from "./load";
import type { CloudApiSimulator } from "./simulator";

export async function controlRoutes(app: FastifyInstance, { sim }: { sim: CloudApiSimulator }): Promise<void> {
  const { options } = sim;
  const ForceSchema = z.union([
    z.object({
      code: z.number().int(),
      mode: z.enum(["sync", "async"]).default("sync"),
      count: z.number().int().min(1).default(1),
    }),
    z.object({ http: z.number().int().min(500).max(599), count: z.number().int().min(1).default(1) }),
    z.object({ timeout: z.literal(true), count: z.number().int().min(1).default(1) }),
    z.object({ slowMs: z.number().int().min(1).max(120_000), count: z.number().int().min(1).default(1) }),
  ]);

  app.post("/_control/force", async (request) => {
    const f = ForceSchema.parse(request.body);
    if ("code" in f) sim.force({ kind: "error", code: f.code, mode: f.mode, remaining: f.count });
    else if ("http" in f) sim.force({ kind: "http", status: f.http, remaining: f.count });
    else if ("timeout" in f) sim.force({ kind: "timeout", remaining: f.count });
    else sim.force({ kind: "slow", delayMs: f.slowMs, remaining: f.count });
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
