import { describe, expect, it } from "vitest";
import type { MessageDto } from "@inbox/contracts";
import { attachReactions, dayKey, dayLabel, withDaySeparators } from "./thread";

const msg = (over: Partial<MessageDto>): MessageDto => ({
  id: over.id ?? Math.random().toString(36).slice(2),
  conversationId: "c",
  direction: "inbound",
  type: "text",
  text: "hi",
  payload: {},
  status: "received",
  externalId: null,
  clientId: null,
  isPrivate: false,
  senderId: null,
  replyToExternalId: null,
  errorCode: null,
  errorTitle: null,
  errorDetails: null,
  templateName: null,
  media: [],
  sentAt: null,
  deliveredAt: null,
  readAt: null,
  failedAt: null,
  createdAt: "2026-12-03T10:00:00Z",
  ...over,
});

describe("day separators", () => {
  const now = new Date("2026-12-03T15:00:00Z");
  const words = { now, today: "Heute", yesterday: "Gestern", timeZone: "Europe/Berlin" };
  it("labels today, yesterday and older days in the user's language and time zone", () => {
    expect(dayLabel("2026-12-03T08:00:00Z", { ...words, language: "de" })).toBe("Heute");
    expect(dayLabel("2026-12-02T08:00:00Z", { ...words, language: "de" })).toBe("Gestern");
    // 23:30 UTC on 1 December is already 2 December in Berlin: yesterday.
    expect(dayLabel("2026-12-01T23:30:00Z", { ...words, language: "de" })).toBe("Gestern");
    expect(dayLabel("2026-11-30T08:00:00Z", { ...words, language: "de" })).toBe("Montag, 30. November 2026");
    expect(dayLabel("2026-11-30T08:00:00Z", { ...words, language: "en" })).toBe("Monday, November 30, 2026");
    expect(dayKey("2026-12-01T23:30:00Z", "Europe/Berlin")).toBe("2026-12-02");
  });
  it("puts one separator above the oldest message of each day (after it, newest first)", () => {
    const items = withDaySeparators(
      [
        msg({ id: "c", createdAt: "2026-12-03T09:00:00Z" }),
        msg({ id: "b", createdAt: "2026-12-03T08:00:00Z" }),
        msg({ id: "a", createdAt: "2026-12-01T08:00:00Z" }),
      ],
      "UTC",
    );
    expect(items.map((i) => (i.kind === "day" ? `day:${i.key}` : i.message.id))).toEqual([
      "c",
      "b",
      "day:2026-12-03",
      "a",
      "day:2026-12-01",
    ]);
  });
});

describe("attachReactions", () => {
  it("moves a reaction onto its message, keeps the latest per reactor and drops removed ones", () => {
    const target = msg({ id: "t", externalId: "wamid.T", direction: "outbound", status: "read" });
    const other = msg({ id: "o", externalId: "wamid.O" });
    const first = msg({ id: "r1", type: "reaction", payload: { reaction: { message_id: "wamid.T", emoji: "👍" } } });
    const changed = msg({ id: "r2", type: "reaction", payload: { reaction: { message_id: "wamid.T", emoji: "❤️" } } });
    const onOther = msg({ id: "r3", type: "reaction", payload: { reaction: { message_id: "wamid.O", emoji: "😂" } } });
    const removed = msg({ id: "r4", type: "reaction", payload: { reaction: { message_id: "wamid.O", emoji: "" } } });
    const orphan = msg({ id: "r5", type: "reaction", payload: { reaction: { message_id: "wamid.X", emoji: "🙏" } } });
    // newest first
    const { messages, reactions } = attachReactions([orphan, removed, onOther, changed, first, other, target]);
    expect(messages.map((m) => m.id)).toEqual(["r5", "o", "t"]);
    expect(reactions.get("wamid.T")).toEqual([{ by: "customer", emoji: "❤️" }]);
    expect(reactions.has("wamid.O")).toBe(false);
  });
});
