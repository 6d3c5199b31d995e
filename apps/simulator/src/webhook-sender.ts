import { Agent, request } from "undici";
import { signPayload, WebhookPayloadSchema, type WebhookPayload } from "@inbox/whatsapp";
import type { Logger } from "@inbox/logger";

export interface WebhookSenderOptions {
  url: string;
  appSecret: string;
  /** attempts per delivery including the first; Meta retries for up to 7 days, the simulator a few times */
  maxAttempts: number;
  /** first retry delay; doubles per attempt */
  retryBaseMs: number;
  timeoutMs: number;
  log: Logger;
}

export interface DeliveryRecord {
  attempts: number;
  lastStatus: number | undefined;
  delivered: boolean;
}

/**
 * Signs and POSTs webhooks like Meta: X-Hub-Signature-256 over the exact bytes sent, retries with exponential
 * backoff while the receiver answers anything but 200. Every payload is validated against the shared wire
 * schema first, so the simulator cannot drift from what the receiver accepts.
 */
export class WebhookSender {
  private readonly pending = new Set<Promise<unknown>>();
  readonly stats = { deliveries: 0, delivered: 0, failed: 0, attempts: 0 };
  /**
   * undici's `request` over keep-alive connections of our own, not the global fetch: a reply costs the receiver three
   * status webhooks, and fetch's Request/Response/stream objects and per-request AbortSignal cost the simulator more
   * CPU than the rest of a delivery — CPU that, in `pnpm start`'s simulator mode, the product's processes share.
   */
  private readonly agent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 120_000 });

  constructor(private readonly options: WebhookSenderOptions) {}

  setUrl(url: string): void {
    this.options.url = url;
  }

  get url(): string {
    return this.options.url;
  }

  /** Queues a delivery (fire and forget); `idle()` waits for all of them. */
  deliver(payload: WebhookPayload, options: { delayMs?: number } = {}): void {
    const task = (async () => {
      if (options.delayMs) await sleep(options.delayMs);
      await this.send(payload);
    })().catch((err: unknown) => this.options.log.error({ err }, "webhook delivery crashed"));
    this.track(task);
  }

  /**
   * First attempt awaited (so a caller learns whether the receiver took it); on failure the remaining
   * retries continue in the background, like Meta's redelivery.
   */
  async sendThenRetry(payload: WebhookPayload, options: { unchecked?: boolean } = {}): Promise<DeliveryRecord> {
    const first = await this.send(payload, { ...options, maxAttempts: 1 });
    if (!first.delivered && this.options.maxAttempts > 1) {
      this.stats.failed--;
      const task = (async () => {
        await sleep(this.options.retryBaseMs);
        this.stats.deliveries--;
        await this.send(payload, { ...options, maxAttempts: this.options.maxAttempts - 1 });
      })().catch((err: unknown) => this.options.log.error({ err }, "webhook redelivery crashed"));
      this.track(task);
    }
    return first;
  }

  /**
   * One delivery with retries; resolves with what happened. `unchecked` sends the payload as given, without
   * validating it against the documented shapes (shapes Meta may send that the product must survive).
   */
  async send(
    payload: WebhookPayload,
    options: { maxAttempts?: number; unchecked?: boolean } = {},
  ): Promise<DeliveryRecord> {
    const body = JSON.stringify(options.unchecked ? payload : WebhookPayloadSchema.parse(payload));
    const signature = signPayload(body, this.options.appSecret);
    const maxAttempts = options.maxAttempts ?? this.options.maxAttempts;
    const record: DeliveryRecord = { attempts: 0, lastStatus: undefined, delivered: false };
    this.stats.deliveries++;
    while (record.attempts < maxAttempts) {
      record.attempts++;
      this.stats.attempts++;
      record.lastStatus = await this.post(body, signature);
      if (record.lastStatus === 200) {
        record.delivered = true;
        this.stats.delivered++;
        return record;
      }
      if (record.attempts < maxAttempts) await sleep(this.options.retryBaseMs * 2 ** (record.attempts - 1));
    }
    this.stats.failed++;
    this.options.log.warn({ attempts: record.attempts, status: record.lastStatus }, "webhook not accepted, giving up");
    return record;
  }

  async idle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  /** Closes the keep-alive connections (deliveries still running are cut off). */
  async close(): Promise<void> {
    await this.agent.destroy();
  }

  private track(task: Promise<unknown>): void {
    this.pending.add(task);
    void task.finally(() => this.pending.delete(task));
  }

  private async post(body: string, signature: string): Promise<number | undefined> {
    try {
      const response = await request(this.options.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-hub-signature-256": signature,
          "user-agent": "facebookexternalua",
        },
        body,
        dispatcher: this.agent,
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
      await response.body.dump().catch(() => undefined);
      return response.statusCode;
    } catch {
      return undefined;
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
