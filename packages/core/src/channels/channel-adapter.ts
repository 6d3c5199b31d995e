import type { ChannelType } from "@inbox/db";
import type { z } from "zod";

/** One kind of attachment a channel accepts: which content types and how large. */
interface MediaCapability {
  mimeTypes: readonly string[];
  maxBytes: number;
}

/**
 * What a channel can do outbound. The send policy, the console and the widget ask these instead of assuming
 * WhatsApp: a channel without a service window lets agents answer at any time, one without templates refuses them.
 */
export interface ChannelCapabilities {
  /** Free-form replies only within `serviceWindowMs` of the customer's last message (WhatsApp: 24 h). */
  hasServiceWindow: boolean;
  serviceWindowMs: number | null;
  /** Pre-approved templates (needed outside the window, and for business-initiated contact). */
  supportsTemplates: boolean;
  /** Attachment kinds (image, document, …) the channel delivers, with their limits. */
  media: Readonly<Record<string, MediaCapability>>;
  /** Longest text message in characters. */
  maxTextLength: number;
  /** The customer's client reports delivered/read. */
  hasReadReceipts: boolean;
  /** The customer sees "agent is typing". */
  hasTypingIndicator: boolean;
  /**
   * How an outbound message leaves: `provider` — a `message.send` job calls the provider's API (WhatsApp Graph);
   * `live` — the customer is connected to us (web chat): the message is stored as sent and pushed over Redis
   * pub/sub to the api instance holding the customer's socket; no job.
   */
  delivery: "provider" | "live";
}

/** Who sent an inbound message, as the channel identifies them (matches the Contact columns). */
interface InboundSender {
  waId?: string | undefined;
  userId?: string | undefined;
  externalId?: string | undefined;
  profileName?: string | undefined;
}

/** An inbound message in the channel-independent shape the inbox stores (Message row + contact key). */
interface NormalizedInboundMessage {
  /** The provider's id of the message (WhatsApp wamid, web chat client message id): stored once per channel. */
  externalId: string;
  sender: InboundSender;
  type: string;
  text: string | null;
  /** When the customer sent it (the service window runs from this, not from arrival). */
  sentAt: Date;
  replyToExternalId: string | null;
  /** A media attachment the channel still has to fetch (WhatsApp) or already stored (web chat). */
  media: { providerMediaId?: string; mediaAssetId?: string; mimeType: string; filename: string | null } | null;
}

/**
 * One messaging channel. WhatsApp and web chat implement it; a new channel (Messenger, e-mail, …) is a new module
 * that implements it and is added to the registry (see docs/design/channels.md).
 */
export interface ChannelAdapter<TSettings = unknown, TInbound = unknown> {
  type: ChannelType;
  capabilities: ChannelCapabilities;
  /** The channel's `Channel.settings` JSON (validated whenever an admin writes it). */
  settingsSchema: z.ZodType<TSettings>;
  /** The provider's inbound delivery → messages to store. Unknown content is kept, never dropped. */
  normalizeInbound(input: TInbound): NormalizedInboundMessage[];
}
