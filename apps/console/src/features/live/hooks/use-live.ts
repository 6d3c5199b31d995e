import { useEffect, useState } from "react";
import { notifyManager, useQueryClient, type InfiniteData, type QueryClient } from "@tanstack/react-query";
import type { ConversationDto, LiveControl, LiveEnvelope, MessageDto, PresenceDto } from "@inbox/contracts";
import { fetchMessages } from "../../conversation/api";
import type { Page } from "../../inbox/api";
import { PRESENCE_KEY } from "../../inbox/hooks/use-directory";
import { RecentMessages, upsertMessages, withRecent } from "../thread-cache";

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

/** Live messages of the last moments, merged into threads read from the server meanwhile (see RecentMessages). */
const recent = new RecentMessages();

/**
 * One page of a thread from the server, with what arrived live while it was read: a refetch (after a send, an
 * assignment, a reconnect) never drops a message that came in during the request.
 */
export async function fetchThreadPage(conversationId: string, cursor: string | null): Promise<Page<MessageDto>> {
  const mark = recent.mark();
  const page = await fetchMessages(conversationId, cursor);
  return withRecent(page, recent.since(conversationId, mark), cursor === null);
}

/** Puts messages into their threads' caches (live events, the answer to a send); one cache write per thread. */
export function showMessages(client: QueryClient, messages: MessageDto[]): void {
  const byConversation = new Map<string, MessageDto[]>();
  for (const m of messages) {
    recent.record(m);
    const list = byConversation.get(m.conversationId) ?? [];
    list.push(m);
    byConversation.set(m.conversationId, list);
  }
  for (const [conversationId, list] of byConversation) {
    client.setQueryData<InfiniteData<Page<MessageDto>>>(["messages", conversationId], (data) =>
      data ? upsertMessages(data, list) : data,
    );
  }
}

/** A list refresh waits for a quiet moment of this long … */
const LIST_QUIET_MS = 300;
/** … but not longer than this: under a steady stream of events there is no quiet moment. */
const LIST_MAX_WAIT_MS = 1000;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let refreshDueBy = 0;
/**
 * Lists are re-read on conversation changes (filters and order live on the server): after a quiet moment, at the
 * latest a second after the first change. A read in flight is not cancelled by the next change (under load a
 * cancelled read would never finish). So is the lead dashboard (queues, loads, presence), when a Team page shows it.
 */
export function refreshLists(client: QueryClient): void {
  const now = Date.now();
  if (refreshTimer === undefined) refreshDueBy = now + LIST_MAX_WAIT_MS;
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(
    () => {
      refreshTimer = undefined;
      void client.invalidateQueries({ queryKey: ["conversations"] }, { cancelRefetch: false });
      void client.invalidateQueries({ queryKey: ["team-dashboard"] }, { cancelRefetch: false });
    },
    Math.max(0, Math.min(LIST_QUIET_MS, refreshDueBy - now)),
  );
}

/** Takes in the envelopes of one frame, in the order they arrived. */
function apply(client: QueryClient, envelopes: LiveEnvelope[]) {
  const messages: MessageDto[] = [];
  const contacts = new Set<string>();
  let listsChanged = false;
  for (const { event: e } of envelopes) {
    if (e.type === "message.created" || e.type === "message.updated") {
      messages.push(e.message);
      listsChanged = true;
      // Consents change with the customer's messages (opt-in/opt-out keywords) and with failed sends (131050
      // withdraws marketing consent): re-read the contact panel, which also decides whether the composer refuses.
      if ((e.type === "message.created" && e.message.direction === "inbound") || e.message.status === "failed") {
        contacts.add(e.conversationId);
      }
    } else if (e.type === "conversation.updated") {
      // Only conversations the console has read (an open one): no cache entry per conversation that changed.
      const before = client.getQueryData<ConversationDto>(["conversation", e.conversationId]);
      if (before) client.setQueryData<ConversationDto>(["conversation", e.conversationId], e.conversation);
      // An assignment change adds a line to the timeline (written by whoever moved it, possibly the worker).
      if (before && (before.assigneeId !== e.conversation.assigneeId || before.teamId !== e.conversation.teamId)) {
        void client.invalidateQueries({ queryKey: ["messages", e.conversationId] }, { cancelRefetch: false });
      }
      listsChanged = true;
    } else if (e.type === "typing") {
      for (const listener of typingListeners) listener(e);
    } else if (e.type === "presence") {
      listsChanged = true;
      client.setQueryData<PresenceDto>(PRESENCE_KEY, (data) => {
        if (!data) return data;
        const others = data.onlineUserIds.filter((id) => id !== e.userId);
        return { onlineUserIds: e.isOnline ? [...others, e.userId] : others };
      });
    }
  }
  showMessages(client, messages);
  for (const id of contacts) void client.invalidateQueries({ queryKey: ["contact", id] });
  if (listsChanged) refreshLists(client);
}

/**
 * Envelopes are taken in once per frame: a burst of events costs one render per thread and frame, not one per
 * event. A frame that does not come within 100 ms (a busy page) does not hold them longer. In a hidden tab, where
 * frames stop and timers wait a second, they are taken in at once (desktop notifications must not wait).
 */
function frameBatcher(take: (envelopes: LiveEnvelope[]) => void) {
  let queue: LiveEnvelope[] = [];
  let frame: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let isQueued = false;
  const flush = () => {
    if (frame !== undefined) cancelAnimationFrame(frame);
    clearTimeout(timer);
    frame = timer = undefined;
    isQueued = false;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    take(batch);
  };
  return {
    push(envelope: LiveEnvelope) {
      queue.push(envelope);
      if (isQueued) return;
      isQueued = true;
      if (document.visibilityState === "hidden") {
        queueMicrotask(flush);
        return;
      }
      frame = requestAnimationFrame(flush);
      timer = setTimeout(flush, 100);
    },
    flush,
  };
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
    const batcher = frameBatcher((envelopes) => {
      // One notification of the caches' observers for the whole frame.
      notifyManager.batch(() => apply(client, envelopes));
      for (const envelope of envelopes) for (const listener of eventListeners) listener(envelope.event);
    });
    const connect = () => {
      const url = new URL("/api/ws", window.location.href);
      url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
      if (lastSeq !== null) url.searchParams.set("since", String(lastSeq));
      socket = new WebSocket(url);
      currentSocket = socket;
      socket.onmessage = (msg) => {
        const data = JSON.parse(String(msg.data)) as LiveEnvelope | LiveControl;
        if ("control" in data) {
          // What came before the control message is taken in first.
          batcher.flush();
          if (data.control === "resync") void client.invalidateQueries();
          else if (attempt > 0 || lastSeq !== null) refreshLists(client);
          lastSeq = data.seq;
          attempt = 0;
          setState("connected");
          return;
        }
        // A replayed envelope the console already has (a reconnect's catch-up) is not taken twice.
        if (lastSeq !== null && data.seq <= lastSeq) return;
        lastSeq = data.seq;
        batcher.push(data);
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
      batcher.flush();
      socket?.close();
    };
  }, [enabled, client]);
  return state;
}
