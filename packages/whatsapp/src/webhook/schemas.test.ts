/* eslint-disable @typescript-eslint/no-explicit-any -- fixtures are mutated freely in tests */
import { describe, expect, it } from "vitest";
import {
  BSUID_TEXT_MESSAGE_WEBHOOK,
  META_EXAMPLE_WEBHOOKS,
  STATUS_FAILED_WEBHOOK,
  TEXT_MESSAGE_WEBHOOK,
  USER_PREFERENCES_STOP_WEBHOOK,
  envelope,
  META_METADATA,
} from "../fixtures/webhooks";
import { getMessagesValues, isUserPreferencesChange, parseWebhookPayload } from "./schemas";

describe("webhook schemas against Meta's documented examples", () => {
  // A message Meta could not process comes without its body: not what the schema understands as a "text" message —
  // which is why the receiver parses element by element and shows it as `unsupported` instead of refusing it.
  const { VALUE_ERRORS_WITH_MESSAGE_WEBHOOK, ...understood } = META_EXAMPLE_WEBHOOKS;
  it("does not understand a typed message without its body (the receiver keeps it as unsupported)", () => {
    expect(parseWebhookPayload(VALUE_ERRORS_WITH_MESSAGE_WEBHOOK)).toMatchObject({
      ok: false,
      reason: "invalid_payload",
    });
  });
  for (const [name, payload] of Object.entries(understood)) {
    it(`parses ${name}`, () => {
      const result = parseWebhookPayload(payload);
      if (!result.ok) throw new Error(result.issues.join("; "));
      expect(result.payload.object).toBe("whatsapp_business_account");
    });
  }

  it("keeps ids, timestamps and bodies of a text message", () => {
    const result = parseWebhookPayload(JSON.stringify(TEXT_MESSAGE_WEBHOOK));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [{ value, wabaId }] = getMessagesValues(result.payload) as [{ value: any; wabaId: string }];
    expect(wabaId).toBe("102290129340398");
    expect(value.metadata.phone_number_id).toBe("106540352242922");
    expect(value.messages[0].text.body).toBe("Does it come in another color?");
    expect(value.messages[0].timestamp).toBe("1749416383");
  });

  it("reads a timestamp sent as a number (as Meta's user_preferences reference shows it) as the documented string", () => {
    const payload = structuredClone(TEXT_MESSAGE_WEBHOOK) as any;
    payload.entry[0].changes[0].value.messages[0].timestamp = 1749416383;
    const status = structuredClone(STATUS_FAILED_WEBHOOK) as any;
    status.entry[0].changes[0].value.statuses[0].timestamp = 1749416383;
    for (const p of [payload, status]) {
      const result = parseWebhookPayload(p);
      if (!result.ok) throw new Error(result.issues.join("; "));
      const value = getMessagesValues(result.payload)[0]!.value as any;
      expect((value.messages ?? value.statuses)[0].timestamp).toBe("1749416383");
    }
    payload.entry[0].changes[0].value.messages[0].timestamp = -5;
    expect(parseWebhookPayload(payload)).toMatchObject({ ok: false, reason: "invalid_payload" });
  });

  it("accepts username users identified only by BSUID", () => {
    const result = parseWebhookPayload(BSUID_TEXT_MESSAGE_WEBHOOK);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const value = getMessagesValues(result.payload)[0]!.value;
    expect(value.contacts?.[0]?.wa_id).toBe("");
    expect(value.messages?.[0]?.from_user_id).toBe("US.13491208655302741918");
  });

  it("rejects an empty from without from_user_id", () => {
    const payload = structuredClone(BSUID_TEXT_MESSAGE_WEBHOOK) as any;
    delete payload.entry[0].changes[0].value.messages[0].from_user_id;
    expect(parseWebhookPayload(payload)).toMatchObject({ ok: false, reason: "invalid_payload" });
  });

  it("carries failed-status errors", () => {
    const result = parseWebhookPayload(STATUS_FAILED_WEBHOOK);
    if (!result.ok) throw new Error("expected ok");
    const status = getMessagesValues(result.payload)[0]!.value.statuses![0]!;
    expect(status.status).toBe("failed");
    expect(status.errors?.[0]?.code).toBe(131049);
  });

  it("parses user_preferences as its own field", () => {
    const result = parseWebhookPayload(USER_PREFERENCES_STOP_WEBHOOK);
    if (!result.ok) throw new Error("expected ok");
    const change = result.payload.entry[0]!.changes[0]!;
    expect(isUserPreferencesChange(change)).toBe(true);
    if (isUserPreferencesChange(change)) expect(change.value.user_preferences[0]!.value).toBe("stop");
  });

  it("parses message types and fields Meta adds later (forward compatible)", () => {
    const payload = envelope({
      messaging_product: "whatsapp",
      metadata: META_METADATA,
      messages: [
        { from: "1", id: "wamid.X", timestamp: "1", type: "poll_vote", poll_vote: { option: 1 }, new_field: true },
      ],
    });
    const result = parseWebhookPayload(payload);
    expect(result.ok).toBe(true);
    if (result.ok)
      expect((getMessagesValues(result.payload)[0]!.value.messages![0] as any).poll_vote).toEqual({ option: 1 });
    expect(parseWebhookPayload(envelope({ anything: 1 }, "account_update")).ok).toBe(true);
  });

  it("is strict on what the receiver relies on", () => {
    const bad = (mutate: (m: any) => void) => {
      const p = structuredClone(TEXT_MESSAGE_WEBHOOK) as any;
      mutate(p.entry[0].changes[0].value.messages[0]);
      return parseWebhookPayload(p);
    };
    expect(bad((m) => (m.timestamp = "2025-01-01"))).toMatchObject({ ok: false });
    expect(bad((m) => (m.id = ""))).toMatchObject({ ok: false });
    expect(bad((m) => delete m.text)).toMatchObject({ ok: false });
    const noPhoneId = structuredClone(TEXT_MESSAGE_WEBHOOK) as any;
    delete noPhoneId.entry[0].changes[0].value.metadata.phone_number_id;
    expect(parseWebhookPayload(noPhoneId)).toMatchObject({ ok: false });
  });

  it("tells not-JSON and not-WhatsApp apart", () => {
    expect(parseWebhookPayload("{nope")).toMatchObject({ ok: false, reason: "invalid_json" });
    expect(parseWebhookPayload({ object: "page", entry: [] })).toMatchObject({ ok: false, reason: "not_whatsapp" });
  });
});
