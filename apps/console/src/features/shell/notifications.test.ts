import { describe, expect, it } from "vitest";
import { alertFor } from "./notifications";

describe("alertFor", () => {
  const now = Date.parse("2026-12-03T10:00:00Z");
  const fresh = "2026-12-03T09:59:30Z";
  const old = "2026-11-01T10:00:00Z";
  it("alerts once for a conversation that just started", () => {
    expect(alertFor(undefined, { assigneeId: null, createdAt: fresh }, "me", now)).toBe("new");
    expect(alertFor(null, { assigneeId: null, createdAt: fresh }, "me", now)).toBeNull();
  });
  it("alerts when a known conversation becomes mine, not when it stays mine or goes to someone else", () => {
    expect(alertFor(null, { assigneeId: "me", createdAt: old }, "me", now)).toBe("assigned");
    expect(alertFor("bob", { assigneeId: "me", createdAt: old }, "me", now)).toBe("assigned");
    expect(alertFor("me", { assigneeId: "me", createdAt: old }, "me", now)).toBeNull();
    expect(alertFor(null, { assigneeId: "bob", createdAt: old }, "me", now)).toBeNull();
  });
  it("stays quiet for old conversations the console had not seen yet", () => {
    expect(alertFor(undefined, { assigneeId: "me", createdAt: old }, "me", now)).toBeNull();
  });
});
