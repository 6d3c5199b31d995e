import type { LiveEnvelope, WebchatServerFrame } from "@inbox/contracts";
import { subscribeLiveEvents, toWebchatMessageDto } from "@inbox/core";
import type { Db } from "@inbox/db";
import type { Logger } from "@inbox/logger";
import type { Redis } from "ioredis";

export interface VisitorSocket {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  on(event: "close", listener: () => void): void;
  on(event: "message", listener: (data: unknown) => void): void;
}

export interface VisitorClient {
  socket: VisitorSocket;
  channelId: string;
  visitorId: string;
  contactId: string | null;
  conversationIds: Set<string>;
}

/** The web chat visitors' websockets of this process: live events of their own conversations, pushed from Redis. */
export interface VisitorHub {
  /** An authenticated visitor: finds their contact and conversations, then says `ready`. */
  add(client: VisitorClient): void;
  remove(client: VisitorClient): void;
  /** Closes every visitor socket and ends the subscription (after the server stopped taking requests). */
  close(): Promise<void>;
}

export async function createVisitorHub(deps: {
  db: Db;
  redis: Redis;
  prefix: string;
  log: Logger;
}): Promise<VisitorHub> {
  const clients = new Set<VisitorClient>();
  const frame = (client: VisitorClient, f: WebchatServerFrame) => {
    if (client.socket.readyState === 1) client.socket.send(JSON.stringify(f));
  };
  /** A visitor who consented after connecting: find their contact and conversations once it exists. */
  const refreshContact = async (client: VisitorClient) => {
    const contact = await deps.db.contact.findUnique({
      where: { channelId_externalId: { channelId: client.channelId, externalId: client.visitorId } },
      select: { id: true, conversations: { select: { id: true } } },
    });
    if (!contact) return;
    client.contactId = contact.id;
    for (const c of contact.conversations) client.conversationIds.add(c.id);
  };
  const deliver = async (client: VisitorClient, envelope: LiveEnvelope) => {
    const event = envelope.event;
    if (event.type === "presence") return;
    if (event.type === "conversation.updated") {
      if (event.conversation.channel.id !== client.channelId) return;
      if (!client.contactId) await refreshContact(client);
      if (event.conversation.contact.id !== client.contactId) return;
      client.conversationIds.add(event.conversationId);
      if (event.conversation.unreadCount === 0) frame(client, { type: "read" });
      return;
    }
    if (!client.conversationIds.has(event.conversationId)) return;
    if (event.type === "typing") frame(client, { type: "typing" });
    else if (!event.message.isPrivate) frame(client, { type: "message", message: toWebchatMessageDto(event.message) });
  };
  const subscriber = deps.redis.duplicate();
  subscriber.on("error", (err: unknown) => deps.log.warn({ err }, "web chat subscriber connection error"));
  const subscription = await subscribeLiveEvents(
    subscriber,
    deps.prefix,
    (envelope) => {
      for (const client of clients) {
        deliver(client, envelope).catch((err: unknown) => deps.log.warn({ err }, "web chat event not delivered"));
      }
    },
    { log: deps.log, isListening: () => clients.size > 0 },
  );
  return {
    add(client) {
      clients.add(client);
      void refreshContact(client).then(
        () => frame(client, { type: "ready" }),
        () => frame(client, { type: "ready" }),
      );
    },
    remove(client) {
      clients.delete(client);
    },
    async close() {
      for (const client of clients) client.socket.close(1001, "server shutting down");
      await subscription.close();
      subscriber.disconnect();
    },
  };
}
