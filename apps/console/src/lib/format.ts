import i18n from "../i18n";

let timeZone: string | undefined;
export function setTimeZone(tz: string | undefined): void {
  timeZone = tz;
}

/** Dates in the user's language and time zone. */
export function formatDateTime(
  iso: string,
  opts: Intl.DateTimeFormatOptions = { dateStyle: "short", timeStyle: "short" },
): string {
  return new Intl.DateTimeFormat(i18n.language, { ...opts, ...(timeZone ? { timeZone } : {}) }).format(new Date(iso));
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

/** A day separator's label: "Today", "Yesterday", else the date with weekday. */
export function formatDay(iso: string, t: (key: "conv.today" | "conv.yesterday") => string): string {
  const d = new Date(iso);
  const today = new Date();
  const yesterday = new Date(today);
  yesterday.setDate(today.getDate() - 1);
  if (d.toDateString() === today.toDateString()) return t("conv.today");
  if (d.toDateString() === yesterday.toDateString()) return t("conv.yesterday");
  return formatDateTime(iso, { weekday: "long", day: "numeric", month: "long", year: "numeric" });
}
