import { Agent, request } from "undici";
import { fetchTransport, GraphClient, type GraphTransport } from "@inbox/whatsapp";

export interface GraphTransportOptions {
  /** Upper bound of open connections per origin (Graph host); requests beyond it wait for a free one. */
  connections?: number;
}

/**
 * The worker's way to Graph: undici's `request` over a dedicated Agent — keep-alive connections reused across sends
 * (no TCP/TLS handshake per message), bounded per origin so a backlog cannot open thousands of sockets, and none of
 * fetch's Request/Response/stream objects (at 1,000 sends/s those cost more CPU than the rest of a send).
 * Multipart bodies (media uploads, rare) go through the global fetch, which builds them from FormData.
 */
export function createGraphTransport({ connections = 128 }: GraphTransportOptions = {}): GraphTransport {
  const agent = new Agent({ connections, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 120_000 });
  const viaFetch = fetchTransport();
  return async (req) => {
    if (req.body !== undefined && typeof req.body !== "string") return viaFetch(req);
    const response = await request(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body ?? null,
      dispatcher: agent,
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.timeoutMs,
    });
    return {
      status: response.statusCode,
      header: (name) => {
        const value = response.headers[name.toLowerCase()];
        return Array.isArray(value) ? value[0] : value;
      },
      text: () => response.body.text(),
      bytes: async () => Buffer.from(await response.body.arrayBuffer()),
    };
  };
}

/** The Graph API client the environment configures (GRAPH_API_URL + WHATSAPP_ACCESS_TOKEN), on the worker's transport. */
export function createGraphClient(env: {
  GRAPH_API_URL: string;
  WHATSAPP_ACCESS_TOKEN?: string | undefined;
}): GraphClient {
  return new GraphClient({
    baseUrl: env.GRAPH_API_URL,
    accessToken: env.WHATSAPP_ACCESS_TOKEN ?? "",
    transport: createGraphTransport(),
  });
}
