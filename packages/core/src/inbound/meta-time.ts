/**
 * Meta's unix-seconds timestamp as a Date. A timestamp more than a day in the future (a clock error, or a
 * crafted value) is capped at now + 1 day so it cannot hold the 24 h window open for years.
 */
export function fromMetaTimestamp(seconds: string | number): Date {
  return new Date(Math.max(0, Math.min(Number(seconds) * 1000, Date.now() + 24 * 3600 * 1000)));
}
