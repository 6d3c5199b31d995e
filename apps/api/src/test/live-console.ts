import { WebSocket } from "undici";
import { LiveEnvelopeSchema, type LiveEnvelope } from "@inbox/contracts";
import type { Agent } from "./test-app";

/** A console's live connection: every envelope it received, in arrival order, and whether the hub said hello. */
export interface LiveConsole {
  envelopes: LiveEnvelope[];
  isReady: () => boolean;
  close(): void;
}

/** Connects to /api/ws as a browser tab of `agent` does (session cookie, same origin). */
export async function openLiveConsole(baseUrl: string, agent: Agent): Promise<LiveConsole> {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/api/ws`, {
    headers: { cookie: agent.cookie, origin: baseUrl },
  });
  const envelopes: LiveEnvelope[] = [];
  let isReady = false;
  socket.addEventListener("message", (event) => {
    const json: unknown = JSON.parse(String(event.data));
    if ((json as { control?: string }).control === "hello") isReady = true;
    const parsed = LiveEnvelopeSchema.safeParse(json);
    if (parsed.success) envelopes.push(parsed.data);
  });
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener("open", () => resolve());
    socket.addEventListener("error", () => reject(new Error("websocket refused")));
  });
  return { envelopes, isReady: () => isReady, close: () => socket.close() };
}
