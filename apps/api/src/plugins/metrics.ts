import { hasBearerToken } from "@inbox/metrics";
import type { ApiDeps, App } from "../types";

/** What a webhook answer means for operators: stored, or why not (Meta retries everything but 200). */
function webhookOutcome(status: number): string {
  if (status === 200) return "stored";
  if (status === 401) return "bad_signature";
  if (status === 400) return "malformed";
  if (status === 503) return "unavailable";
  return "error";
}

/**
 * Prometheus: every request's duration by route pattern (never the URL, which can hold ids and search terms), the
 * webhook's outcome and ack latency, and `GET /metrics` for a scraper holding METRICS_TOKEN. Without the token
 * configured the endpoint does not exist (404), so metrics are never public by accident.
 */
export async function registerMetrics(app: App, deps: Pick<ApiDeps, "metrics" | "env">): Promise<void> {
  const { metrics } = deps;
  app.addHook("onResponse", (request, reply, done) => {
    const route = request.routeOptions.url ?? "unmatched";
    const seconds = reply.elapsedTime / 1000;
    metrics.httpRequestSeconds.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      seconds,
    );
    if (route === "/webhooks/whatsapp" && request.method === "POST") {
      const outcome = webhookOutcome(reply.statusCode);
      metrics.webhookDeliveries.inc({ outcome });
      metrics.webhookAckSeconds.observe({ outcome }, seconds);
    }
    done();
  });
  const token = deps.env.METRICS_TOKEN;
  if (!token) return;
  app.get("/metrics", { schema: { hide: true } }, async (request, reply) => {
    if (!hasBearerToken(request.headers.authorization, token)) {
      return reply
        .status(401)
        .header("www-authenticate", "Bearer")
        .send({ code: "unauthenticated", message: "Metrics need the bearer token (METRICS_TOKEN)." });
    }
    const { contentType, body } = await metrics.render();
    return reply.type(contentType).send(body);
  });
}
