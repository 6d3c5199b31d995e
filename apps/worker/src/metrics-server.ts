import { createServer, type Server } from "node:http";
import { hasBearerToken, type Metrics } from "@inbox/metrics";

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Workers serve no HTTP of their own; Prometheus scrapes this one: `GET /metrics` with the METRICS_TOKEN bearer
 * token, and `GET /healthz` (200 while the process runs) for a container's liveness probe.
 */
export async function startMetricsServer(
  metrics: Metrics,
  options: { port: number; token: string },
): Promise<MetricsServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (request.method === "GET" && path === "/healthz") {
      response.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
      return;
    }
    if (request.method !== "GET" || path !== "/metrics") {
      response.writeHead(404, { "content-type": "application/json" }).end('{"code":"not_found"}');
      return;
    }
    if (!hasBearerToken(request.headers.authorization, options.token)) {
      response
        .writeHead(401, { "content-type": "application/json", "www-authenticate": "Bearer" })
        .end('{"code":"unauthenticated","message":"Metrics need the bearer token (METRICS_TOKEN)."}');
      return;
    }
    metrics.render().then(
      ({ contentType, body }) => response.writeHead(200, { "content-type": contentType }).end(body),
      () => response.writeHead(500, { "content-type": "application/json" }).end('{"code":"internal"}'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, resolve);
  });
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : options.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
