import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { pingDatabase } from "@inbox/db";
import type { ApiDeps } from "../types";

const ReadySchema = z.object({
  status: z.enum(["ready", "not_ready"]),
  checks: z.object({ postgres: z.enum(["ok", "down"]), redis: z.enum(["ok", "down"]) }),
});

async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(deps: Pick<ApiDeps, "db" | "redis">): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/healthz",
      { schema: { hide: true, response: { 200: z.object({ status: z.literal("ok") }) } } },
      async () => ({ status: "ok" as const }),
    );
    app.get(
      "/readyz",
      { schema: { hide: true, response: { 200: ReadySchema, 503: ReadySchema } } },
      async (request, reply) => {
        const [postgres, redis] = await Promise.all([
          within(pingDatabase(deps.db), 2_000).then(
            () => "ok" as const,
            (err: unknown) => (request.log.warn({ err }, "readiness: postgres down"), "down" as const),
          ),
          within(deps.redis.ping(), 2_000).then(
            () => "ok" as const,
            (err: unknown) => (request.log.warn({ err }, "readiness: redis down"), "down" as const),
          ),
        ]);
        const ready = postgres === "ok" && redis === "ok";
        return reply
          .status(ready ? 200 : 503)
          .send({ status: ready ? "ready" : "not_ready", checks: { postgres, redis } });
      },
    );
  };
}
