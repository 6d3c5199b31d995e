import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** What a queue must offer to be measured: BullMQ's Queue has both methods. */
export interface MeasurableQueue {
  name: string;
  getJobCounts(...types: (typeof QUEUE_STATES)[number][]): Promise<Record<string, number>>;
  getJobs(types: "wait"[], start: number, end: number, asc: boolean): Promise<({ timestamp: number } | undefined)[]>;
}

export type Role = "api" | "worker";

/** Job states reported per queue; "failed" is where a job lands after its last attempt. */
export const QUEUE_STATES = ["waiting", "active", "delayed", "prioritized", "failed"] as const;

/**
 * The product's Prometheus series, one registry per process, built once in the composition root and passed to
 * whatever records into it. Names are the operator contract of /metrics (docs/operations.md, deploy/grafana).
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequestSeconds = new Histogram({
    name: "inbox_http_request_duration_seconds",
    help: "HTTP requests by method, route pattern and status code",
    labelNames: ["method", "route", "status_code"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly webhookDeliveries = new Counter({
    name: "inbox_webhook_deliveries_total",
    help: "Webhook deliveries by outcome: stored, bad_signature, malformed, unavailable (503, Meta retries)",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });

  readonly webhookAckSeconds = new Histogram({
    name: "inbox_webhook_ack_seconds",
    help: "From a webhook delivery's arrival to its answer (stored deliveries: after the commit)",
    labelNames: ["outcome"] as const,
    buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly sendOutcomes = new Counter({
    name: "inbox_send_outcomes_total",
    help: "Outbound sends by outcome (sent, failed, retried) and Meta error code (empty when sent)",
    labelNames: ["outcome", "error_code"] as const,
    registers: [this.registry],
  });

  readonly sendThrottling = new Counter({
    name: "inbox_send_throttling_total",
    help: "What cost sends their slot without failing them: slot_missed (re-booked), throughput_refused (Meta's 130429, re-booked in the same attempt), deferred (job delayed to its slot without using an attempt)",
    labelNames: ["event"] as const,
    registers: [this.registry],
  });

  readonly sendRefusals = new Counter({
    name: "inbox_send_refusals_total",
    help: "Messages refused before sending, by code: window_closed, consent_missing, opted_out, …",
    labelNames: ["code"] as const,
    registers: [this.registry],
  });

  readonly websocketConnections = new Gauge({
    name: "inbox_websocket_connections",
    help: "Open console websocket connections on this process",
    registers: [this.registry],
  });

  readonly retentionDeleted = new Counter({
    name: "inbox_retention_deleted_total",
    help: "Rows and files deleted by the retention schedules, by category",
    labelNames: ["category"] as const,
    registers: [this.registry],
  });

  readonly retentionLastRun = new Gauge({
    name: "inbox_retention_last_run_timestamp_seconds",
    help: "When the retention schedules last finished (Unix seconds)",
    registers: [this.registry],
  });

  constructor(readonly role: Role) {
    this.registry.setDefaultLabels({ role });
    collectDefaultMetrics({ register: this.registry, prefix: "inbox_" });
  }

  /** Queue depth and the age of the oldest waiting job, read from Redis at each scrape. */
  observeQueues(queues: MeasurableQueue[]): void {
    new Gauge({
      name: "inbox_queue_jobs",
      help: "Jobs per queue and state",
      labelNames: ["queue", "state"] as const,
      registers: [this.registry],
      async collect() {
        await Promise.all(
          queues.map(async (queue) => {
            const counts = await queue.getJobCounts(...QUEUE_STATES);
            for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
          }),
        );
      },
    });
    new Gauge({
      name: "inbox_queue_oldest_waiting_seconds",
      help: "Age of the oldest job waiting in each queue (0 when none waits)",
      labelNames: ["queue"] as const,
      registers: [this.registry],
      async collect() {
        const now = Date.now();
        await Promise.all(
          queues.map(async (queue) => {
            const [oldest] = await queue.getJobs(["wait"], 0, 0, true);
            this.set({ queue: queue.name }, oldest ? Math.max(0, (now - oldest.timestamp) / 1000) : 0);
          }),
        );
      },
    });
  }

  /** Webhook deliveries waiting in quarantine (stored, not yet applied), counted at each scrape. */
  observeQuarantine(count: () => Promise<number>): void {
    new Gauge({
      name: "inbox_webhook_quarantined",
      help: "Stored webhook deliveries (or elements) that could not be applied yet and wait for reprocessing",
      registers: [this.registry],
      async collect() {
        this.set(await count());
      },
    });
  }

  /** The exposition text and its content type, for the /metrics endpoint. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
