import type { ConversationDto } from "@inbox/contracts";

/** Per-browser choice of alerts for new and assigned conversations (nothing is on until the user turns it on). */
export interface NotifySettings {
  sound: boolean;
  desktop: boolean;
}
const KEY = "inbox.notify";

export function loadNotifySettings(): NotifySettings {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? "{}") as Partial<NotifySettings>;
    return { sound: raw.sound === true, desktop: raw.desktop === true };
  } catch {
    return { sound: false, desktop: false };
  }
}

export function saveNotifySettings(s: NotifySettings): void {
  localStorage.setItem(KEY, JSON.stringify(s));
}

/** A conversation created this recently, seen for the first time, counts as new (not one scrolled into view). */
const NEW_WITHIN_MS = 2 * 60_000;

/**
 * Whether an update of a conversation deserves an alert: "new" when it appears for the first time and was just
 * created, "assigned" when it becomes the user's. `previousAssignee` is undefined when the console has not seen the
 * conversation before.
 */
export function alertFor(
  previousAssignee: string | null | undefined,
  c: Pick<ConversationDto, "assigneeId" | "createdAt">,
  me: string,
  now: number,
): "new" | "assigned" | null {
  if (previousAssignee === undefined && now - Date.parse(c.createdAt) < NEW_WITHIN_MS) return "new";
  if (c.assigneeId === me && previousAssignee !== undefined && previousAssignee !== me) return "assigned";
  return null;
}

/** A short two-tone chime from the Web Audio API (no sound file to fetch, nothing the CSP has to allow). */
export function playChime(): void {
  const Ctx = window.AudioContext as typeof AudioContext | undefined;
  if (!Ctx) return;
  const ctx = new Ctx();
  const gain = ctx.createGain();
  gain.connect(ctx.destination);
  gain.gain.setValueAtTime(0.0001, ctx.currentTime);
  gain.gain.exponentialRampToValueAtTime(0.15, ctx.currentTime + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + 0.45);
  [660, 880].forEach((hz, i) => {
    const osc = ctx.createOscillator();
    osc.frequency.value = hz;
    osc.connect(gain);
    osc.start(ctx.currentTime + i * 0.15);
    osc.stop(ctx.currentTime + 0.2 + i * 0.15);
  });
  setTimeout(() => void ctx.close(), 1000);
}
