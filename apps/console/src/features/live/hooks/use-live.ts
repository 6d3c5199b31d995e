import { useEffect, useState } from "react";
import { useQueryClient, type InfiniteData, type QueryClient } from "@tanstack/react-query";
import type { ConversationDto, LiveControl, LiveEnvelope, MessageDto, PresenceDto } from "@inbox/contracts";
import type { Page } from "../../inbox/api";
import { PRESENCE_KEY } from "../../inbox/hooks/use-directory";

let currentSocket: WebSocket | null = null;
/** Tells colleagues the user is typing (best effort; the server throttles and checks access). */
export function sendTyping(conversationId: string): void {
  if (currentSocket?.readyState === WebSocket.OPEN)
    currentSocket.send(JSON.stringify({ type: "typing", conversationId }));
}

type TypingListener = (e: { conversationId: string; userId: string; name: string }) => void;
const typingListeners = new Set<TypingListener>();
export function onTyping(listener: TypingListener): () => void {
  typingListeners.add(listener);
  return () => typingListeners.delete(listener);
}

type LiveEventListener = (event: LiveEnvelope["event"]) => void;
const eventListeners = new Set<LiveEventListener>();
/** Every live event after the caches took it in (notifications listen here). */
export function onLiveEvent(listener: LiveEventListener): () => void {
  eventListeners.add(listener);
  return () => eventListeners.delete(listener);
}

export type LiveState = "connecting" | "connected" | "reconnecting";

function upsertMessage(client: QueryClient, message: MessageDto) {
  client.setQueryData<InfiniteData<Page<MessageDto>>>(["messages", message.conversationId], (data) => {
    if (!data) return data;
    const pages = data.pages.map((p) => ({ ...p, items: p.items.map((m) => (m.id === message.id ? message : m)) }));
    const exists = pages.some((p) => p.items.some((m) => m.id === message.id));
    if (!exists && pages[0]) pages[0] = { ...pages[0], items: insertNewestFirst(pages[0].items, message) };
    return { ...data, pages };
  });
}

/**
 * Inserts at the place the server's order (createdAt desc, id desc) gives it: live events of different sources
 * (webhook batch, worker jobs) can arrive out of order, e.g. an opt-out confirmation before the customer's "STOP".
 */
export function insertNewestFirst(items: MessageDto[], message: MessageDto): MessageDto[] {
  const at = Date.parse(message.createdAt);
  const isOlder = (m: MessageDto) => {
    const t = Date.parse(m.createdAt);
    return t < at || (t === at && m.id < message.id);
  };
  const index = items.findIndex(isOlder);
  return index === -1 ? [...items, message] : [...items.slice(0, index), message, ...items.slice(index)];
}

let refreshTimer: ReturnType<typeof setTimeout> | undefined;
/**
 * Lists are re-read (debounced) on conversation changes: filters and order live on the server. So is the lead
 * dashboard (queues, loads, presence), when a Team page shows it.
 */
function refreshLists(client: QueryClient) {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => {
    void client.invalidateQueries({ queryKey: ["conversations"] });
    void client.invalidateQueries({ queryKey: ["team-dashboard"] });
  }, 300);
}

function apply(client: QueryClient, envelope: LiveEnvelope) {
  const e = envelope.event;
  if (e.type === "message.created" || e.type === "message.updated") {
    upsertMessage(client, e.message);
    refreshLists(client);
    // Consents change with the customer's messages (opt-in/opt-out keywords) and with failed sends (131050
    // withdraws marketing consent): re-read the contact panel, which also decides whether the composer refuses.
    if ((e.type === "message.created" && e.message.direction === "inbound") || e.message.status === "failed") {
      void client.invalidateQueries({ queryKey: ["contact", e.conversationId] });
    }
  } else if (e.type === "conversation.updated") {
    const before = client.getQueryData<ConversationDto>(["conversation", e.conversationId]);
    client.setQueryData<ConversationDto>(["conversation", e.conversationId], e.conversation);
    // An assignment change adds a line to the timeline (written by whoever moved it, possibly the worker).
    if (before && (before.assigneeId !== e.conversation.assigneeId || before.teamId !== e.conversation.teamId)) {
      void client.invalidateQueries({ queryKey: ["messages", e.conversationId] });
    }
    refreshLists(client);
  } else if (e.type === "typing") {
    for (const listener of typingListeners) listener(e);
  } else if (e.type === "presence") {
    refreshLists(client);
    client.setQueryData<PresenceDto>(PRESENCE_KEY, (data) => {
      if (!data) return data;
      const others = data.onlineUserIds.filter((id) => id !== e.userId);
      return { onlineUserIds: e.isOnline ? [...others, e.userId] : others };
    });
  }
}

/**
 * /api/ws with reconnect (exponential backoff with jitter, capped at 30 s) and catch-up: it reconnects with
 * ?since=<last seq>; when the server cannot replay that far it says resync and every query is re-read.
 */
export function useLive(enabled: boolean): LiveState {
  const client = useQueryClient();
  const [state, setState] = useState<LiveState>("connecting");
  useEffect(() => {
    if (!enabled) return;
    let socket: WebSocket | null = null;
    let lastSeq: number | null = null;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const connect = () => {
      const url = new URL("/api/ws", window.location.href);
      url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
      if (lastSeq !== null) url.searchParams.set("since", String(lastSeq));
      socket = new WebSocket(url);
      currentSocket = socket;
      socket.onmessage = (msg) => {
        const data = JSON.parse(String(msg.data)) as LiveEnvelope | LiveControl;
        if ("control" in data) {
          if (data.control === "resync") void client.invalidateQueries();
          else if (attempt > 0 || lastSeq !== null) refreshLists(client);
          lastSeq = data.seq;
          attempt = 0;
          setState("connected");
          return;
        }
        lastSeq = Math.max(lastSeq ?? 0, data.seq);
        apply(client, data);
        for (const listener of eventListeners) listener(data.event);
      };
      socket.onclose = () => {
        if (stopped) return;
        setState("reconnecting");
        const delay = Math.min(30_000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2);
        attempt++;
        timer = setTimeout(connect, delay);
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      socket?.close();
    };
  }, [enabled, client]);
  return state;
}
