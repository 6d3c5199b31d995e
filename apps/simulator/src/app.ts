/**
 * `buildSimulator(opts)`: the Fastify app (no listen) — Graph routes under any `/vNN.N/` prefix, the control
 * API (`/_control/*`), the customer API (`/_customer/*`) and the customer phone page (`/phone`), each a route
 * plugin of its own file.
 */
import Fastify, { LogController, type FastifyInstance } from "fastify";
import { z } from "zod";
import { controlRoutes } from "./control-routes";
import { customerRoutes } from "./customer-routes";
import { graphRoutes } from "./graph-routes";
import { phoneRoutes } from "./phone-routes";
import { CloudApiSimulator, GraphError, type SimulatorOptions } from "./simulator";

export interface BuiltSimulator {
  app: FastifyInstance;
  sim: CloudApiSimulator;
}

export function buildSimulator(options: SimulatorOptions): BuiltSimulator {
  const sim = new CloudApiSimulator(options);
  const app = Fastify({
    loggerInstance: options.log,
    bodyLimit: 4 * 1024 * 1024,
    // Request lines would carry customer phone numbers (customer API query strings): keep them out of logs.
    logController: new LogController({ disableRequestLogging: true }),
    // A forced timeout holds its request open; closing the simulator must not wait for it.
    forceCloseConnections: true,
  }) as unknown as FastifyInstance;
  const hangingRequests = new Set<() => void>();
  app.addHook("onClose", async () => {
    for (const release of [...hangingRequests]) release();
    await sim.sender.close();
  });

  app.addContentTypeParser(
    "multipart/form-data",
    { parseAs: "buffer", bodyLimit: 110 * 1024 * 1024 },
    (_req, body, done) => {
      done(null, body);
    },
  );

  // Resumable Upload's data step sends the file's bytes as they are.
  app.addContentTypeParser(
    ["application/octet-stream", "image/jpeg", "image/png", "video/mp4", "application/pdf"],
    { parseAs: "buffer", bodyLimit: 110 * 1024 * 1024 },
    (_req, body, done) => {
      done(null, body);
    },
  );

  app.setErrorHandler((error: unknown, request, reply) => {
    if (error instanceof GraphError) return reply.status(error.httpStatus).send(error.body);
    if (error instanceof z.ZodError) {
      const isMissing = error.issues.some((i) => i.code === "invalid_type" && i.message.includes("undefined"));
      const where = error.issues.map((i) => i.path.join(".") || "body").join(", ");
      const graphError = sim.error(isMissing ? 131008 : 100, `Invalid parameter: ${where}`);
      return reply.status(graphError.httpStatus).send(graphError.body);
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status < 500) {
      const graphError = sim.error(100, (error as Error).message);
      return reply.status(400).send(graphError.body);
    }
    request.log.error({ err: error }, "simulator error");
    return reply.status(500).send(sim.error(1).body);
  });

  // Throughput accounting counts arrivals: stamp each request before its body is read and parsed.
  const arrivals = new WeakMap<object, number>();
  app.addHook("onRequest", (request, _reply, done) => {
    arrivals.set(request.raw, options.now?.() ?? Date.now());
    done();
  });

  void app.register(graphRoutes, { sim, options, arrivals, hangingRequests });
  void app.register(controlRoutes, { sim });
  void app.register(customerRoutes, { sim });
  void app.register(phoneRoutes);

  return { app, sim };
}
