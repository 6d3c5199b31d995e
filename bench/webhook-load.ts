/**
 * Webhook load for the benchmarks: Meta's text-message delivery for a customer, POSTed signed with the app secret
 * (X-Hub-Signature-256) on keep-alive connections, at a fixed rate (open loop: latency counts from the time each
 * request was due, so a slow server cannot slow the generator down), and the event-loop delay of a process from its
 * /metrics. Used by the inbound, inbound-cpu, live, retention and routing benches.
 */
import http from "node:http";
import { signPayload } from "@inbox/whatsapp";
import { META_METADATA, TEXT_MESSAGE_WEBHOOK } from "@inbox/whatsapp/fixtures";

export interface WebhookTarget {
  port: number;
  path: string;
  /** The app secret the deliveries are signed with; none: sent unsigned (the bare ceiling route). */
  appSecret?: string;
}

/** Meta's text-message webhook from `from` with message id `wamid`, to the fixtures' phone_number_id. */
export function textMessageDelivery(input: { from: string; wamid: string; text: string }): string {
  const p = JSON.parse(JSON.stringify(TEXT_MESSAGE_WEBHOOK));
  const v = p.entry[0].changes[0].value;
  v.metadata = META_METADATA;
  v.contacts[0].wa_id = input.from;
  v.messages[0].from = input.from;
  v.messages[0].id = input.wamid;
  v.messages[0].timestamp = String(Math.floor(Date.now() / 1000));
  v.messages[0].text.body = input.text;
  return JSON.stringify(p);
}

/**
 * Meta's delivery of several text messages of one customer (`from`), in this order, in one `messages` array — as Meta
 * batches a customer's quick succession — to the fixtures' phone_number_id; the profile name is "Kunde <last 4>".
 */
export function textMessagesDelivery(from: string, messages: { text: string; wamid: string }[]): string {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: META_METADATA,
              contacts: [{ profile: { name: `Kunde ${from.slice(-4)}` }, wa_id: from }],
              messages: messages.map(({ text, wamid }) => ({
                from,
                id: wamid,
                timestamp,
                type: "text",
                text: { body: text },
              })),
            },
          },
        ],
      },
    ],
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
/** Meta waits about this long for an acknowledgement before it counts the delivery as failed. */
const REQUEST_TIMEOUT_MS = 20_000;

/** POSTs one delivery; resolves with the HTTP status (0: no answer). */
export function postWebhook(target: WebhookTarget, body: string): Promise<number> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
    };
    if (target.appSecret) headers["x-hub-signature-256"] = signPayload(body, target.appSecret);
    const req = http.request(
      { host: "127.0.0.1", port: target.port, path: target.path, method: "POST", headers, agent },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    // An answer that never comes counts as a failed delivery (Meta retries), not as a benchmark that never ends.
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error("timeout")));
    req.on("error", () => resolve(0));
    req.end(body);
  });
}

/** Closes the keep-alive connections (at the end of a benchmark). */
export function closeWebhookConnections(): void {
  agent.destroy();
}

export interface Sample {
  /** When the request was due (epoch ms). */
  dueAt: number;
  /** From due to answered, ms. */
  ms: number;
  isOk: boolean;
}

export interface OpenLoopResult {
  sent: number;
  ok: number;
  failed: number;
  seconds: number;
  samples: Sample[];
}

/**
 * Calls `send(i)` `rate` times a second — `total` calls, or until `isDone()` says stop — without waiting for answers.
 * `send` resolves true when the request was answered as expected.
 */
export async function openLoop(
  options: { rate: number; total?: number; isDone?: () => boolean },
  send: (i: number) => Promise<boolean>,
): Promise<OpenLoopResult> {
  const { rate } = options;
  const total = options.total ?? Infinity;
  const result: OpenLoopResult = { sent: 0, ok: 0, failed: 0, seconds: 0, samples: [] };
  const start = performance.now();
  const epoch = Date.now();
  const pending: Promise<void>[] = [];
  await new Promise<void>((resolve) => {
    const tick = () => {
      const stop = options.isDone?.() ?? false;
      const due = stop ? result.sent : Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
      while (result.sent < due) {
        const offset = (result.sent / rate) * 1000;
        const i = result.sent++;
        pending.push(
          send(i).then((isOk) => {
            if (isOk) result.ok++;
            else result.failed++;
            result.samples.push({ dueAt: epoch + offset, ms: performance.now() - (start + offset), isOk });
          }),
        );
      }
      if (stop || result.sent >= total) resolve();
      else setTimeout(tick, 2);
    };
    tick();
  });
  await Promise.all(pending);
  result.seconds = (performance.now() - start) / 1000;
  return result;
}

/**
 * The event-loop delay of a process since its last scrape, from its /metrics (prom-client's monitorEventLoopDelay,
 * reset at every scrape), in ms; null without /metrics.
 */
/** Garbage collections of a process so far, by kind (prom-client's `nodejs_gc_duration_seconds`): count, ms. */
export type GcTotals = Record<string, { count: number; ms: number }>;

export async function eventLoopDelay(
  port: number,
  token: string,
): Promise<{ p99: number; max: number; gc: GcTotals } | null> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(10_000),
  }).catch(() => null);
  if (!res?.ok) return null;
  const text = await res.text().catch(() => null);
  if (text === null) return null;
  const read = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "m").exec(text)?.[1]) * 1000;
  const gc: GcTotals = {};
  for (const m of text.matchAll(/^inbox_nodejs_gc_duration_seconds_(sum|count)\{[^}]*kind="(\w+)"[^}]*\} (\S+)$/gm)) {
    const entry = (gc[m[2]!] ??= { count: 0, ms: 0 });
    if (m[1] === "count") entry.count = Number(m[3]);
    else entry.ms = Number(m[3]) * 1000;
  }
  return {
    p99: read("inbox_nodejs_eventloop_lag_p99_seconds"),
    max: read("inbox_nodejs_eventloop_lag_max_seconds"),
    gc,
  };
}

/** The collections between two readings, e.g. "minor 120 (310 ms), major 3 (95 ms)". */
export function gcBetween(before: GcTotals | undefined, after: GcTotals | undefined): string {
  if (!before || !after) return "no GC figures";
  return Object.entries(after)
    .map(([kind, a]) => ({ kind, count: a.count - (before[kind]?.count ?? 0), ms: a.ms - (before[kind]?.ms ?? 0) }))
    .filter((d) => d.count > 0)
    .map((d) => `${d.kind} ${d.count} (${d.ms.toFixed(0)} ms)`)
    .join(", ");
}
