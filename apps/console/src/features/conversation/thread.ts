import type { MessageDto } from "@inbox/contracts";

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day of an instant in a time zone, as YYYY-MM-DD (the key that groups a thread by day). */
export function dayKey(at: string | Date, timeZone?: string): string {
  // One formatter per time zone: making one costs more than formatting, and a thread asks twice per message.
  let format = dayFormats.get(timeZone ?? "");
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", {
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      ...(timeZone ? { timeZone } : {}),
    });
    dayFormats.set(timeZone ?? "", format);
  }
  return format.format(new Date(at));
}

function previousDay(key: string): string {
  const d = new Date(`${key}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** "Today", "Yesterday" or the date in words ("Dienstag, 1. Dezember 2026"), for a day separator. */
export function dayLabel(
  at: string,
  opts: { now: Date; language: string; timeZone?: string | undefined; today: string; yesterday: string },
): string {
  const key = dayKey(at, opts.timeZone);
  const todayKey = dayKey(opts.now, opts.timeZone);
  if (key === todayKey) return opts.today;
  if (key === previousDay(todayKey)) return opts.yesterday;
  return new Intl.DateTimeFormat(opts.language, {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    ...(opts.timeZone ? { timeZone: opts.timeZone } : {}),
  }).format(new Date(at));
}

export type ThreadItem = { kind: "message"; message: MessageDto } | { kind: "day"; key: string; at: string };

/**
 * Messages newest first (as the thread renders them, bottom-up) with a day separator after the oldest message of
 * each day, so that on screen it stands above that day's messages.
 */
export function withDaySeparators(newestFirst: MessageDto[], timeZone?: string): ThreadItem[] {
  const items: ThreadItem[] = [];
  newestFirst.forEach((message, i) => {
    items.push({ kind: "message", message });
    const key = dayKey(message.createdAt, timeZone);
    const older = newestFirst[i + 1];
    if (!older || dayKey(older.createdAt, timeZone) !== key) items.push({ kind: "day", key, at: message.createdAt });
  });
  return items;
}

export interface Reaction {
  emoji: string;
  /** "customer" for the contact's reaction, else the reacting user's id (or "business"). */
  by: string;
}

const reactionOf = (m: MessageDto): { target: string | null; emoji: string } => {
  const r = m.payload.reaction;
  const body = r && typeof r === "object" ? (r as Record<string, unknown>) : {};
  const target = typeof body.message_id === "string" ? body.message_id : m.replyToExternalId;
  const emoji = typeof body.emoji === "string" ? body.emoji : m.direction === "outbound" ? (m.text ?? "") : "";
  return { target, emoji };
};

/**
 * Reactions belong on the message they react to: each reactor's latest reaction counts (an empty emoji removes it).
 * Reactions whose message is loaded leave the list; the others stay visible as lines of their own.
 */
export function attachReactions(newestFirst: MessageDto[]): {
  messages: MessageDto[];
  reactions: Map<string, Reaction[]>;
} {
  const loaded = new Set(newestFirst.map((m) => m.externalId).filter((x): x is string => !!x));
  const latest = new Map<string, Map<string, string>>();
  const absorbed = new Set<string>();
  for (let i = newestFirst.length - 1; i >= 0; i--) {
    const m = newestFirst[i]!;
    if (m.type !== "reaction") continue;
    const { target, emoji } = reactionOf(m);
    if (!target || !loaded.has(target)) continue;
    absorbed.add(m.id);
    const by = m.direction === "inbound" ? "customer" : (m.senderId ?? "business");
    const perTarget = latest.get(target) ?? new Map<string, string>();
    if (emoji) perTarget.set(by, emoji);
    else perTarget.delete(by);
    latest.set(target, perTarget);
  }
  const reactions = new Map<string, Reaction[]>();
  for (const [target, byWho] of latest) {
    if (byWho.size > 0)
      reactions.set(
        target,
        [...byWho].map(([by, emoji]) => ({ by, emoji })),
      );
  }
  return { messages: newestFirst.filter((m) => !absorbed.has(m.id)), reactions };
}
