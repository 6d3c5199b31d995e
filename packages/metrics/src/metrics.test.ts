import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRedisPrefix, TEST_REDIS_URL } from "@inbox/db/testing";
import { createRedis, JobQueues } from "@inbox/jobs";
import { Metrics } from "./metrics";

const redis = createRedis(TEST_REDIS_URL);
const queues = new JobQueues(redis, createTestRedisPrefix());

beforeAll(async () => {
  // Two waiting sends (one queued 5 s earlier than now) and one delayed route job, in real BullMQ queues.
  await queues.queues.outbound.add(
    "message.send",
    { messageId: crypto.randomUUID() },
    { timestamp: Date.now() - 5_000 },
  );
  await queues.queues.outbound.add("message.send", { messageId: crypto.randomUUID() });
  await queues.queues.inbound.add("conversation.route", { conversationId: crypto.randomUUID() }, { delay: 60_000 });
});

afterAll(async () => {
  for (const queue of Object.values(queues.queues)) await queue.obliterate({ force: true });
  await queues.close();
  redis.disconnect();
});

describe("Metrics", () => {
  it("exposes queue depth per state and the oldest waiting job's age, read from Redis at scrape time", async () => {
    const metrics = new Metrics("worker");
    metrics.observeQueues(Object.values(queues.queues));
    const { body, contentType } = await metrics.render();
    expect(contentType).toMatch(/^text\/plain/);
    expect(body).toContain('inbox_queue_jobs{queue="outbound",state="waiting",role="worker"} 2');
    expect(body).toContain('inbox_queue_jobs{queue="inbound",state="delayed",role="worker"} 1');
    expect(body).toContain('inbox_queue_jobs{queue="maintenance",state="failed",role="worker"} 0');
    const age = Number(/inbox_queue_oldest_waiting_seconds\{queue="outbound",role="worker"\} ([\d.]+)/.exec(body)?.[1]);
    expect(age).toBeGreaterThanOrEqual(5);
    expect(body).toMatch(/inbox_queue_oldest_waiting_seconds\{queue="inbound",role="worker"\} 0\n/);
  });

  it("counts what the product records, with labels, and the quarantine at scrape time", async () => {
    const metrics = new Metrics("api");
    let quarantined = 3;
    metrics.observeQuarantine(async () => quarantined);
    metrics.webhookDeliveries.inc({ outcome: "stored" });
    metrics.webhookDeliveries.inc({ outcome: "bad_signature" });
    metrics.webhookAckSeconds.observe({ outcome: "stored" }, 0.004);
    metrics.sendOutcomes.inc({ outcome: "failed", error_code: "131047" });
    metrics.sendRefusals.inc({ code: "window_closed" });
    metrics.sendThrottling.inc({ event: "throughput_refused" });
    metrics.websocketConnections.inc();
    let { body } = await metrics.render();
    expect(body).toContain('inbox_webhook_deliveries_total{outcome="stored",role="api"} 1');
    expect(body).toContain('inbox_webhook_deliveries_total{outcome="bad_signature",role="api"} 1');
    expect(body).toContain('inbox_webhook_ack_seconds_bucket{le="0.005",role="api",outcome="stored"} 1');
    expect(body).toContain('inbox_send_outcomes_total{outcome="failed",error_code="131047",role="api"} 1');
    expect(body).toContain('inbox_send_refusals_total{code="window_closed",role="api"} 1');
    expect(body).toContain('inbox_send_throttling_total{event="throughput_refused",role="api"} 1');
    expect(body).toContain('inbox_websocket_connections{role="api"} 1');
    expect(body).toContain('inbox_webhook_quarantined{role="api"} 3');
    expect(body).toContain("inbox_process_resident_memory_bytes");
    quarantined = 0;
    ({ body } = await metrics.render());
    expect(body).toContain('inbox_webhook_quarantined{role="api"} 0');
  });

  it("keeps two processes' registries apart", async () => {
    const a = new Metrics("api");
    const b = new Metrics("api");
    a.sendRefusals.inc({ code: "opted_out" });
    expect((await b.render()).body).not.toContain('code="opted_out"');
  });
});
