import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Metrics } from "@inbox/metrics";
import { startMetricsServer, type MetricsServer } from "./metrics-server";

const TOKEN = "worker-metrics-token-0123";
let server: MetricsServer;
const metrics = new Metrics("worker");

beforeAll(async () => {
  server = await startMetricsServer(metrics, { port: 0, token: TOKEN });
});
afterAll(async () => {
  await server.close();
});

const get = (path: string, token?: string) =>
  fetch(`http://127.0.0.1:${server.port}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe("worker metrics server", () => {
  it("serves the worker's series to the token holder only, and a health check to anyone", async () => {
    metrics.sendOutcomes.inc({ outcome: "failed", error_code: "131047" });
    expect((await get("/metrics")).status).toBe(401);
    expect((await get("/metrics", "wrong-token-0123456789")).status).toBe(401);
    const res = await get("/metrics", TOKEN);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(
      'inbox_send_outcomes_total{outcome="failed",error_code="131047",role="worker"} 1',
    );
    expect((await get("/healthz")).status).toBe(200);
    expect((await get("/anything-else", TOKEN)).status).toBe(404);
  });
});
