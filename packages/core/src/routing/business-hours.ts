import Holidays from "date-holidays";
import type { WEEKDAYS, BusinessHours } from "@inbox/contracts";

/**
 * One formatter per time zone and kind, made once: building an Intl.DateTimeFormat costs far more than using it, and
 * the route job asks for the local time of every conversation it greets. An unknown time zone still throws.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(kind: "local" | "offset", timeZone: string): Intl.DateTimeFormat {
  const key = `${kind} ${timeZone}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      ...(kind === "local" ? { weekday: "short" } : { second: "2-digit" }),
    });
    formatters.set(key, formatter);
  }
  return formatter;
}

/** Local calendar date (YYYY-MM-DD), weekday and time (HH:MM) of an instant in a time zone (DST-aware, via Intl). */
export function localTimeOf(
  at: Date,
  timeZone: string,
): { date: string; weekday: (typeof WEEKDAYS)[number]; time: string } {
  const parts = Object.fromEntries(
    formatterFor("local", timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: (parts.weekday ?? "Mon").slice(0, 3).toLowerCase() as (typeof WEEKDAYS)[number],
    time: `${parts.hour}:${parts.minute}`,
  };
}

const holidayCalendars = new Map<string, Holidays>();

/** True when the local date is a public holiday of the German state (ISO 3166-2:DE code without prefix). */
export function isPublicHoliday(date: string, state: string): boolean {
  let calendar = holidayCalendars.get(state);
  if (!calendar) {
    calendar = new Holidays("DE", state, { types: ["public"] });
    holidayCalendars.set(state, calendar);
  }
  // Noon of the local date: the library resolves the date in the country's own time zone.
  const found = calendar.isHoliday(new Date(`${date}T12:00:00`));
  return Array.isArray(found) && found.some((h) => h.type === "public");
}

/**
 * Whether a team with these business hours is open at the instant: local weekday periods in the team's time zone,
 * closed on the state's public holidays and on custom closed dates. null hours: always open.
 */
export function isWithinBusinessHours(hours: BusinessHours | null, at: Date): boolean {
  if (!hours) return true;
  const local = localTimeOf(at, hours.timeZone);
  if (hours.closedDates.includes(local.date)) return false;
  if (hours.holidayState && isPublicHoliday(local.date, hours.holidayState)) return false;
  return (hours.days[local.weekday] ?? []).some((p) => p.from <= local.time && local.time < p.to);
}

/** Minutes the time zone is ahead of UTC at the instant (Berlin: 60 in winter, 120 in summer). */
function offsetMinutesAt(at: Date, timeZone: string): number {
  const p = Object.fromEntries(
    formatterFor("offset", timeZone)
      .formatToParts(at)
      .map((x) => [x.type, Number(x.value)]),
  ) as Record<string, number>;
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** The instant the local day of `at` began in the time zone (midnight; DST-aware: 23 h and 25 h days). */
export function startOfLocalDay(at: Date, timeZone: string): Date {
  const { date } = localTimeOf(at, timeZone);
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const midnightUtc = Date.UTC(y, m - 1, d);
  // The offset at local midnight can differ from the offset now (a DST change during the day): settle it twice.
  let guess = midnightUtc - offsetMinutesAt(new Date(midnightUtc), timeZone) * 60_000;
  guess = midnightUtc - offsetMinutesAt(new Date(guess), timeZone) * 60_000;
  return new Date(guess);
}
