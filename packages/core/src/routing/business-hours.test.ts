import { describe, expect, it } from "vitest";
import type { BusinessHours } from "@inbox/contracts";
import { isPublicHoliday, isWithinBusinessHours, localTimeOf, startOfLocalDay } from "./business-hours";

const weekdays = (from: string, to: string) =>
  Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [{ from, to }]]));
const hours = (over: Partial<BusinessHours> = {}): BusinessHours => ({
  timeZone: "Europe/Berlin",
  days: weekdays("09:00", "17:00"),
  holidayState: null,
  closedDates: [],
  ...over,
});

describe("isWithinBusinessHours", () => {
  it("uses the team's local time, summer and winter alike", () => {
    // Wednesday 2 Dec 2026 (CET, UTC+1): 08:30Z is 09:30 local → open; 16:30Z is 17:30 local → closed.
    expect(isWithinBusinessHours(hours(), new Date("2026-12-02T08:30:00Z"))).toBe(true);
    expect(isWithinBusinessHours(hours(), new Date("2026-12-02T07:59:00Z"))).toBe(false);
    expect(isWithinBusinessHours(hours(), new Date("2026-12-02T16:30:00Z"))).toBe(false);
    // Wednesday 1 Jul 2026 (CEST, UTC+2): 07:30Z is 09:30 local → open; 15:30Z is 17:30 local → closed.
    expect(isWithinBusinessHours(hours(), new Date("2026-07-01T07:30:00Z"))).toBe(true);
    expect(isWithinBusinessHours(hours(), new Date("2026-07-01T15:30:00Z"))).toBe(false);
    // The same instant in New York hours.
    expect(isWithinBusinessHours(hours({ timeZone: "America/New_York" }), new Date("2026-12-02T15:00:00Z"))).toBe(true);
    expect(isWithinBusinessHours(hours({ timeZone: "America/New_York" }), new Date("2026-12-02T08:30:00Z"))).toBe(
      false,
    );
  });

  it("is open on the DST change days at the local hours", () => {
    // Sunday 29 Mar 2026 clocks go forward; Monday 30 Mar at 09:00 CEST = 07:00Z.
    expect(isWithinBusinessHours(hours(), new Date("2026-03-30T07:00:00Z"))).toBe(true);
    expect(isWithinBusinessHours(hours(), new Date("2026-03-30T06:59:00Z"))).toBe(false);
    // Monday 26 Oct 2026, after clocks went back: 09:00 CET = 08:00Z.
    expect(isWithinBusinessHours(hours(), new Date("2026-10-26T08:00:00Z"))).toBe(true);
    expect(isWithinBusinessHours(hours(), new Date("2026-10-26T07:59:00Z"))).toBe(false);
    expect(localTimeOf(new Date("2026-10-25T01:30:00Z"), "Europe/Berlin").time).toBe("02:30");
  });

  it("is closed at weekends, on the chosen state's public holidays and on custom dates", () => {
    expect(isWithinBusinessHours(hours(), new Date("2026-12-05T10:00:00Z"))).toBe(false); // Saturday
    // 6 Jan 2026 (Tuesday, Epiphany) is a public holiday in Bavaria, not in Berlin.
    const epiphany = new Date("2026-01-06T10:00:00Z");
    expect(isWithinBusinessHours(hours({ holidayState: "BY" }), epiphany)).toBe(false);
    expect(isWithinBusinessHours(hours({ holidayState: "BE" }), epiphany)).toBe(true);
    // Christmas everywhere.
    expect(isWithinBusinessHours(hours({ holidayState: "BE" }), new Date("2026-12-25T10:00:00Z"))).toBe(false);
    expect(isWithinBusinessHours(hours({ closedDates: ["2026-12-02"] }), new Date("2026-12-02T10:00:00Z"))).toBe(false);
    expect(isPublicHoliday("2026-10-31", "SN")).toBe(true); // Reformation Day in Saxony
    expect(isPublicHoliday("2026-10-31", "BY")).toBe(false);
    expect(isWithinBusinessHours(null, new Date("2026-12-05T03:00:00Z"))).toBe(true);
  });
});

describe('startOfLocalDay (the lead dashboard\'s "today")', () => {
  it("is local midnight in winter and in summer", () => {
    expect(startOfLocalDay(new Date("2026-01-15T10:00:00Z"), "Europe/Berlin").toISOString()).toBe(
      "2026-01-14T23:00:00.000Z",
    );
    expect(startOfLocalDay(new Date("2026-07-15T10:00:00Z"), "Europe/Berlin").toISOString()).toBe(
      "2026-07-14T22:00:00.000Z",
    );
  });
  it("shortly after midnight local time is already the new day, before it the old one", () => {
    expect(startOfLocalDay(new Date("2026-07-14T22:30:00Z"), "Europe/Berlin").toISOString()).toBe(
      "2026-07-14T22:00:00.000Z",
    );
    expect(startOfLocalDay(new Date("2026-07-14T21:30:00Z"), "Europe/Berlin").toISOString()).toBe(
      "2026-07-13T22:00:00.000Z",
    );
  });
  it("on the days the clocks change (23 h and 25 h days) the day began at the winter/summer midnight before", () => {
    // 29 March 2026: clocks go forward at 02:00; the day began at 00:00 CET = 23:00 UTC the day before.
    expect(startOfLocalDay(new Date("2026-03-29T20:00:00Z"), "Europe/Berlin").toISOString()).toBe(
      "2026-03-28T23:00:00.000Z",
    );
    // 25 October 2026: clocks go back at 03:00; the day began at 00:00 CEST = 22:00 UTC the day before.
    expect(startOfLocalDay(new Date("2026-10-25T20:00:00Z"), "Europe/Berlin").toISOString()).toBe(
      "2026-10-24T22:00:00.000Z",
    );
  });
  it("works for other zones", () => {
    expect(startOfLocalDay(new Date("2026-07-15T10:00:00Z"), "America/New_York").toISOString()).toBe(
      "2026-07-15T04:00:00.000Z",
    );
  });
});
