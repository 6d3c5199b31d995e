import { Agent, fetch as undiciFetch } from "undici";
import { GraphClient, type FetchFn } from "@inbox/whatsapp";
import type { WorkerDeps } from "../registry";

const clients = new WeakMap<WorkerDeps, GraphClient>();

export interface GraphFetchOptions {
  /** Upper bound of open connections per origin (Graph host); requests beyond it wait for a free one. */
  connections?: number;
}

/**
 * fetch for the Graph API over a dedicated undici Agent: keep-alive connections reused across sends (no TCP/TLS
 * handshake per message), bounded per origin so a backlog cannot open thousands of sockets.
 */
export function createGraphFetch({ connections = 128 }: GraphFetchOptions = {}): FetchFn {
  const agent = new Agent({ connections, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 120_000 });
  return (input: Parameters<FetchFn>[0], init?: Parameters<FetchFn>[1]) => {
    // Multipart bodies (media uploads) are built with Node's global FormData, which the undici package's fetch
    // does not recognise as its own: those few requests go through the global fetch.
    if (init?.body instanceof FormData) return globalThis.fetch(input, init);
    // undici's Response type and the DOM lib's differ only in typings (the console's e2e type-checks this file too).
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- needed under the DOM lib
    return undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher: agent,
    }) as unknown as Promise<Response>;
  };
}

/** The Graph API client from the deps, or one built from GRAPH_API_URL + WHATSAPP_ACCESS_TOKEN (once per deps). */
export function graphFor(deps: WorkerDeps): GraphClient {
  if (deps.graph) return deps.graph;
  let client = clients.get(deps);
  if (!client) {
    client = new GraphClient({ baseUrl: deps.env.GRAPH_API_URL, accessToken: deps.env.WHATSAPP_ACCESS_TOKEN ?? "", fetch: createGraphFetch() });
    clients.set(deps, client);
  }
  return client;
}
