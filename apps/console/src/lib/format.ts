import i18n from "../i18n";

let timeZone: string | undefined;
export function setTimeZone(tz: string | undefined): void {
  timeZone = tz;
}
export function getTimeZone(): string | undefined {
  return timeZone;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** Dates in the user's language and time zone. */
export function formatDateTime(
  iso: string,
  opts: Intl.DateTimeFormatOptions = { dateStyle: "short", timeStyle: "short" },
): string {
  // Formatters are kept (making one costs more than formatting; every row and message asks).
  const key = `${i18n.language}|${timeZone ?? ""}|${JSON.stringify(opts)}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(i18n.language, { ...opts, ...(timeZone ? { timeZone } : {}) });
    formats.set(key, format);
  }
  return format.format(new Date(iso));
}

export function formatRelative(iso: string): string {
  const d = new Date(iso);
  const now = new Date();
  const sameDay = d.toDateString() === now.toDateString();
  return formatDateTime(iso, sameDay ? { timeStyle: "short" } : { dateStyle: "short" });
}

export function formatDuration(ms: number): string {
  const m = Math.max(0, Math.floor(ms / 60000));
  const h = Math.floor(m / 60);
  return `${h}:${String(m % 60).padStart(2, "0")} h`;
}
