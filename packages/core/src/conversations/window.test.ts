import { describe, expect, it } from "vitest";
import { isWindowOpen, windowExpiresAt } from "./window";

describe("service window", () => {
  const t = new Date("2026-11-20T10:00:00Z");
  it("runs 24 h from Meta's timestamp", () => {
    expect(windowExpiresAt(t)?.toISOString()).toBe("2026-11-21T10:00:00.000Z");
    expect(windowExpiresAt(null)).toBeNull();
    expect(isWindowOpen(t, new Date("2026-11-21T09:59:59Z"))).toBe(true);
    expect(isWindowOpen(t, new Date("2026-11-21T10:00:00Z"))).toBe(false);
    expect(isWindowOpen(null, t)).toBe(false);
  });
});
