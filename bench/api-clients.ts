/**
 * Console clients for the benchmarks: signed-in sessions and keep-alive HTTP connections to the api, one connection
 * per client (as one browser tab keeps one), timing each request.
 */
import http from "node:http";
import { randomUUID } from "node:crypto";
import { sign } from "@fastify/cookie";
import { CSRF_HEADER, SESSION_COOKIE } from "@inbox/contracts";
import { logIn } from "@inbox/core";
import type { Db } from "@inbox/db";

export interface Session {
  cookie: string;
  csrfToken: string;
}

/**
 * Opens `count` sessions of one user with the product's own login use case (the HTTP login is rate limited per
 * address, 20 a minute) and signs their cookies with the api's SESSION_SECRET, as the api's cookie plugin does.
 */
export async function openSessions(
  db: Db,
  input: { email: string; password: string; sessionSecret: string; count: number },
): Promise<Session[]> {
  const sessions: Session[] = [];
  for (let i = 0; i < input.count; i++) {
    const result = await logIn(db, { email: input.email, password: input.password, ip: "127.0.0.1" });
    sessions.push({
      cookie: `${SESSION_COOKIE}=${encodeURIComponent(sign(result.token, input.sessionSecret))}`,
      csrfToken: result.csrfToken,
    });
  }
  return sessions;
}

export interface Answer {
  status: number;
  body: string;
  ms: number;
}

/** One console client: its own session and its own keep-alive connection. */
export class ApiClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  constructor(
    private readonly port: number,
    readonly session: Session,
  ) {}

  request(method: "GET" | "POST", path: string, body?: unknown): Promise<Answer> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string | number> = { cookie: this.session.cookie };
    if (payload !== undefined) {
      headers["content-type"] = "application/json";
      headers["content-length"] = Buffer.byteLength(payload);
    }
    if (method !== "GET") headers[CSRF_HEADER] = this.session.csrfToken;
    const started = performance.now();
    return new Promise((resolve) => {
      const req = http.request(
        { host: "127.0.0.1", port: this.port, path, method, headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString(),
              ms: performance.now() - started,
            }),
          );
        },
      );
      req.on("error", (error) => resolve({ status: 0, body: error.message, ms: performance.now() - started }));
      req.end(payload);
    });
  }

  /** POST /api/conversations/:id/messages with a fresh clientId. */
  postMessage(conversationId: string, type: "text" | "note", text: string): Promise<Answer> {
    return this.request("POST", `/api/conversations/${conversationId}/messages`, {
      type,
      text,
      clientId: randomUUID(),
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface LoadResult {
  requests: number;
  failed: number;
  /** First answer status other than the expected one, with its body (diagnosis). */
  firstFailure: string | null;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

export const percentile = (sorted: number[], p: number): number =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;

/**
 * Closed loop: each client takes the next item and sends one request for it, until the items are used up. Requests
 * answered with another status than `expected` count as failed.
 */
export async function runClients<T>(
  clients: ApiClient[],
  items: T[],
  send: (client: ApiClient, item: T) => Promise<Answer>,
  expected: number,
): Promise<LoadResult> {
  let next = 0;
  let failed = 0;
  let firstFailure: string | null = null;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      while (next < items.length) {
        const answer = await send(client, items[next++]!);
        latencies.push(answer.ms);
        if (answer.status !== expected) {
          failed++;
          firstFailure ??= `${answer.status} ${answer.body.slice(0, 200)}`;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: items.length,
    failed,
    firstFailure,
    seconds,
    perSecond: items.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}
