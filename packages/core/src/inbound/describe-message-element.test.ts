import { describe, expect, it } from "vitest";
import { describeMessageElement, readErrors } from "./describe-message-element";

const text = { from: "4915100000001", id: "wamid.1", timestamp: "1763800000", type: "text", text: { body: "Hallo" } };

describe("describeMessageElement", () => {
  it("keeps an understood message as it is and the raw element as its payload", () => {
    const r = describeMessageElement({ ...text, future: { x: 1 } });
    expect(r).toMatchObject({
      ok: true,
      element: { type: "text", text: "Hallo", keywordText: "Hallo", isCustomerMessage: true, unsupported: null },
    });
    expect(r.ok && r.element.payload).toMatchObject({ future: { x: 1 } });
    expect(r.ok && r.element.at?.getTime()).toBe(1_763_800_000_000);
  });

  it("quarantines what cannot be tied to a conversation: no object, no usable wamid, no sender", () => {
    expect(describeMessageElement("x")).toMatchObject({ ok: false, reason: "not_an_object" });
    expect(describeMessageElement({ ...text, id: "" })).toMatchObject({ ok: false, reason: "message_without_id" });
    expect(describeMessageElement({ ...text, id: "w".repeat(300) })).toMatchObject({ reason: "message_without_id" });
    expect(describeMessageElement({ ...text, from: " " })).toMatchObject({
      ok: false,
      reason: "message_without_sender",
    });
  });

  it("shows what it does not understand as `unsupported`, saying why, in German and English", () => {
    const noBody = describeMessageElement({ ...text, text: undefined });
    expect(noBody).toMatchObject({ ok: true, element: { type: "unsupported", unsupported: "unexpected_content" } });
    expect(noBody.ok && noBody.element.text?.split("\n")).toHaveLength(2);
    expect(describeMessageElement({ ...text, type: "poll" })).toMatchObject({
      element: { type: "unsupported", unsupported: "unknown_type" },
    });
    const withErrors = describeMessageElement({
      ...text,
      errors: [{ code: 131060, title: "This message is currently unavailable." }],
    });
    expect(withErrors).toMatchObject({
      element: {
        type: "unsupported",
        error: { code: 131060, title: "This message is currently unavailable.", details: null },
      },
    });
    expect(withErrors.ok && withErrors.element.text).toMatch(/erneut zu senden[\s\S]*\n.*send it again/);
  });

  it("reads a system message without `from` as an identity event of the user it names", () => {
    const r = describeMessageElement({
      id: "wamid.s",
      timestamp: "1763800000",
      type: "system",
      system: { type: "user_changed_user_id", user_id: "DE.2", previous_user_id: "DE.1" },
    });
    expect(r).toMatchObject({
      ok: true,
      element: {
        type: "system",
        isCustomerMessage: false,
        sender: { waId: null, userId: "DE.1" },
        identityChange: { kind: "user_id", userId: "DE.2" },
      },
    });
    // With `from_user_id` (which may already be the new id) the customer is still the one known as DE.1.
    const withFrom = describeMessageElement({
      id: "wamid.s2",
      from_user_id: "DE.2",
      timestamp: "1763800000",
      type: "system",
      system: { type: "user_changed_user_id", user_id: "DE.2", previous_user_id: "DE.1" },
    });
    expect(withFrom).toMatchObject({ ok: true, element: { sender: { userId: "DE.1" } } });
  });
});

describe("readErrors", () => {
  it("reads whatever Meta sends, never throws, keeps codes a database integer holds", () => {
    expect(readErrors([{ code: "131000", message: "M", error_data: { details: "D" } }, null, { code: 1e12 }])).toEqual([
      { code: 131000, title: "M", details: "D" },
      { code: null, title: null, details: null },
      { code: null, title: null, details: null },
    ]);
    expect(readErrors("nope")).toEqual([]);
  });
});
