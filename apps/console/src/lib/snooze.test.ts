import { describe, expect, it } from "vitest";
import { snoozeUntil } from "./snooze";

describe("snoozeUntil", () => {
  const at = (s: string) => new Date(s); // local time
  it("adds hours", () => {
    expect(snoozeUntil("1h", at("2026-11-23T10:15:00")).getTime()).toBe(at("2026-11-23T11:15:00").getTime());
    expect(snoozeUntil("3h", at("2026-11-23T22:00:00")).getTime()).toBe(at("2026-11-24T01:00:00").getTime());
  });
  it("tomorrow is the next day at 09:00, also across a month end", () => {
    expect(snoozeUntil("tomorrow", at("2026-11-23T18:40:00"))).toEqual(at("2026-11-24T09:00:00"));
    expect(snoozeUntil("tomorrow", at("2026-11-30T01:00:00"))).toEqual(at("2026-12-01T09:00:00"));
  });
  it("next week is the coming Monday at 09:00, a whole week on from a Monday", () => {
    expect(snoozeUntil("nextWeek", at("2026-11-25T12:00:00"))).toEqual(at("2026-11-30T09:00:00")); // Wednesday
    expect(snoozeUntil("nextWeek", at("2026-11-29T12:00:00"))).toEqual(at("2026-11-30T09:00:00")); // Sunday
    expect(snoozeUntil("nextWeek", at("2026-11-23T08:00:00"))).toEqual(at("2026-11-30T09:00:00")); // Monday
  });
});
