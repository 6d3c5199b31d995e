export type SnoozePreset = "1h" | "3h" | "tomorrow" | "nextWeek";
export const SNOOZE_PRESETS: SnoozePreset[] = ["1h", "3h", "tomorrow", "nextWeek"];

/** When a snooze preset ends, in the browser's local time: tomorrow and next Monday at 09:00. */
export function snoozeUntil(preset: SnoozePreset, now: Date = new Date()): Date {
  switch (preset) {
    case "1h":
      return new Date(now.getTime() + 3_600_000);
    case "3h":
      return new Date(now.getTime() + 3 * 3_600_000);
    case "tomorrow": {
      const d = new Date(now);
      d.setDate(d.getDate() + 1);
      d.setHours(9, 0, 0, 0);
      return d;
    }
    case "nextWeek": {
      const d = new Date(now);
      const daysToMonday = (8 - d.getDay()) % 7 || 7;
      d.setDate(d.getDate() + daysToMonday);
      d.setHours(9, 0, 0, 0);
      return d;
    }
  }
}
