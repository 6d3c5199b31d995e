import { z } from "zod";
import { ConversationDtoSchema, MessageDtoSchema } from "./conversations";

/**
 * Live updates pushed to consoles over /api/ws. Published on Redis pub/sub by whichever process made the change,
 * so every api instance forwards them to its connected consoles (each filters by what the user may see).
 */
export const LiveEventSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("message.created"),
    conversationId: z.string(),
    teamId: z.string().nullable(),
    assigneeId: z.string().nullable(),
    message: MessageDtoSchema,
  }),
  z.object({
    type: z.literal("message.updated"),
    conversationId: z.string(),
    teamId: z.string().nullable(),
    assigneeId: z.string().nullable(),
    message: MessageDtoSchema,
  }),
  z.object({
    type: z.literal("conversation.updated"),
    conversationId: z.string(),
    teamId: z.string().nullable(),
    assigneeId: z.string().nullable(),
    conversation: ConversationDtoSchema,
  }),
  z.object({
    type: z.literal("typing"),
    conversationId: z.string(),
    teamId: z.string().nullable(),
    assigneeId: z.string().nullable(),
    userId: z.string(),
    name: z.string(),
  }),
  /** A colleague opened the console or closed their last tab (everyone may see who is online). */
  z.object({ type: z.literal("presence"), userId: z.string(), isOnline: z.boolean() }),
]);
export type LiveEvent = z.infer<typeof LiveEventSchema>;

/** Every event carries a monotonically increasing sequence so a reconnecting console can catch up. */
export const LiveEnvelopeSchema = z.object({ seq: z.number().int(), at: z.iso.datetime(), event: LiveEventSchema });
export type LiveEnvelope = z.infer<typeof LiveEnvelopeSchema>;

export const LIVE_CHANNEL = "live-events";

/**
 * Control messages on /api/ws besides envelopes: `hello` after connect (the current seq, after any catch-up),
 * `resync` when the console's last seq is older than what the server keeps (reload the lists).
 */
export const LiveControlSchema = z.object({ control: z.enum(["hello", "resync"]), seq: z.number().int() });
export type LiveControl = z.infer<typeof LiveControlSchema>;
/** How many envelopes the server keeps for catch-up. */
export const LIVE_BACKLOG = 1000;

/** What a console may send on /api/ws: "I am typing in this conversation" (relayed to colleagues who may see it). */
export const LiveClientMessageSchema = z.object({ type: z.literal("typing"), conversationId: z.string().max(64) });
export type LiveClientMessage = z.infer<typeof LiveClientMessageSchema>;

/** GET /api/presence: the users who have the console open right now. */
export const PresenceDtoSchema = z.object({ onlineUserIds: z.array(z.string()) });
export type PresenceDto = z.infer<typeof PresenceDtoSchema>;
