/**
 * WhatsApp's customer-service window: 24 h from Meta's timestamp of the customer's last message. The one place it
 * is computed: the database keeps only `Conversation.lastInboundAt` (moved only forward by the inbound write path);
 * `windowExpiresAt` in the API and the send policy's check both come from here.
 */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** When the window of a conversation closes (null: the customer never wrote). */
export function windowExpiresAt(lastInboundAt: Date | null | undefined): Date | null {
  return lastInboundAt ? new Date(lastInboundAt.getTime() + SERVICE_WINDOW_MS) : null;
}

export function isWindowOpen(
  lastInboundAt: Date | null | undefined,
  now: Date,
  windowMs: number = SERVICE_WINDOW_MS,
): boolean {
  return !!lastInboundAt && now.getTime() < lastInboundAt.getTime() + windowMs;
}
