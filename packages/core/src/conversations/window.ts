/** WhatsApp's customer-service window: 24 h from Meta's timestamp of the customer's last message. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

export function windowExpiresAt(lastInboundAt: Date): Date {
  return new Date(lastInboundAt.getTime() + SERVICE_WINDOW_MS);
}

export function isWindowOpen(
  lastInboundAt: Date | null | undefined,
  now: Date,
  windowMs: number = SERVICE_WINDOW_MS,
): boolean {
  return !!lastInboundAt && now.getTime() < lastInboundAt.getTime() + windowMs;
}

/**
 * A late or retried delivery must not move the window backwards: keep the newer of the stored time and
 * Meta's timestamp of the message being applied.
 */
export function latestInboundAt(current: Date | null | undefined, reported: Date): Date {
  return current && current.getTime() > reported.getTime() ? current : reported;
}
