/**
 * How GraphClient reaches Graph: one request in, status + headers + body out. The default runs on WHATWG fetch;
 * the worker plugs in undici's `request` for its sends (the same HTTP, without fetch's Request/Response/stream
 * objects, which cost more CPU than everything else in a send).
 */
export type FetchFn = typeof globalThis.fetch;

export interface GraphRequest {
  method: "GET" | "POST" | "DELETE";
  url: string;
  headers: Record<string, string>;
  /** JSON text, a multipart form, or raw bytes (Resumable Upload). */
  body?: string | FormData | Uint8Array;
  /** The request fails (rejects) when no complete answer arrived within this time. */
  timeoutMs: number;
}

export interface GraphResponse {
  status: number;
  header(name: string): string | undefined;
  text(): Promise<string>;
  bytes(): Promise<Buffer>;
}

/** Rejects on network errors and timeouts (the rejection's name, or its `code`, tells which). */
export type GraphTransport = (request: GraphRequest) => Promise<GraphResponse>;

/** Transport over a fetch function (Node's global fetch by default). */
export function fetchTransport(fetchFn: FetchFn = globalThis.fetch): GraphTransport {
  return async ({ method, url, headers, body, timeoutMs }) => {
    const response = await fetchFn(url, {
      method,
      headers,
      body: body instanceof Uint8Array ? new Blob([new Uint8Array(body)]) : body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return {
      status: response.status,
      header: (name) => response.headers.get(name) ?? undefined,
      text: () => response.text(),
      bytes: async () => Buffer.from(await response.arrayBuffer()),
    };
  };
}

const TIMEOUT_NAMES = new Set([
  "TimeoutError",
  "AbortError",
  "HeadersTimeoutError",
  "BodyTimeoutError",
  "ConnectTimeoutError",
]);
const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT"]);

/** Whether a transport rejection was a timeout (fetch's abort or undici's own timeouts). */
export function isTransportTimeout(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return TIMEOUT_NAMES.has(error.name) || (typeof code === "string" && TIMEOUT_CODES.has(code));
}
