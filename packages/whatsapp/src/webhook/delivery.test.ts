import { describe, expect, it } from "vitest";
import { META_METADATA, TEXT_MESSAGE_WEBHOOK, envelope } from "../fixtures/webhooks";
import { MESSAGES_VALUE_LISTS, parseWebhookDelivery, readValueParts } from "./delivery";

describe("parseWebhookDelivery", () => {
  it("refuses only what is not JSON or not a WhatsApp Business Account object", () => {
    expect(parseWebhookDelivery("{nope")).toMatchObject({ ok: false, reason: "invalid_json" });
    expect(parseWebhookDelivery(Buffer.from("[]"))).toMatchObject({ ok: false, reason: "not_whatsapp" });
    expect(parseWebhookDelivery({ object: "page", entry: [] })).toMatchObject({ ok: false, reason: "not_whatsapp" });
    for (const odd of [{}, { entry: "x" }, { entry: [1, { changes: 2 }, { changes: [null, { field: 3 }] }] }]) {
      expect(parseWebhookDelivery({ object: "whatsapp_business_account", ...odd }).ok).toBe(true);
    }
  });

  it("splits entries into changes, keeps each malformed part as a delivery of its own", () => {
    const result = parseWebhookDelivery({
      object: "whatsapp_business_account",
      entry: [
        "not an entry",
        { id: "waba-1", time: 1, changes: [{ field: "messages", value: { a: 1 } }, { value: "no field" }] },
      ],
    });
    if (!result.ok) throw new Error("refused");
    expect(result.delivery.changes).toEqual([{ wabaId: "waba-1", field: "messages", value: { a: 1 } }]);
    expect(result.delivery.malformed.map((m) => m.path)).toEqual(["entry.0", "entry.1.changes.1"]);
    const again = parseWebhookDelivery(result.delivery.malformed[1]!.delivery);
    expect(again.ok && again.delivery.malformed.map((m) => m.path)).toEqual(["entry.0.changes.0"]);
  });

  it("removes U+0000, which Postgres cannot store, from keys and values", () => {
    const body = JSON.stringify(TEXT_MESSAGE_WEBHOOK).replace("Does it", "Does\\u0000 it");
    const result = parseWebhookDelivery(body);
    expect(result.ok && JSON.stringify(result.delivery.raw)).toContain("Does it");
  });

  it("removes __proto__ keys, also written with escapes, and keeps everything else including constructor keys", () => {
    const body = JSON.stringify(TEXT_MESSAGE_WEBHOOK)
      .replace('"text":{', '"text":{"__proto__":null,"constructor":{"prototype":1},')
      .replace('"timestamp":', '"\\u005f_proto__":{"x":1},"timestamp":');
    expect(body).toContain("u005f_proto__");
    const sent = JSON.parse(JSON.stringify(TEXT_MESSAGE_WEBHOOK)) as {
      entry: { changes: { value: { messages: { timestamp: string }[] } }[] }[];
    };
    for (const input of [body, Buffer.from(body), JSON.parse(body) as unknown]) {
      const result = parseWebhookDelivery(input);
      if (!result.ok) throw new Error("refused");
      const message = (result.delivery.changes[0]!.value as { messages: Record<string, unknown>[] }).messages[0]!;
      expect(Object.hasOwn(message, "__proto__")).toBe(false);
      expect(Object.hasOwn(message.text as object, "__proto__")).toBe(false);
      expect(message.text).toEqual({ body: expect.any(String), constructor: { prototype: 1 } });
      expect(Object.getPrototypeOf(message.text)).toBe(Object.prototype);
      expect(message.timestamp).toBe(sent.entry[0]!.changes[0]!.value.messages[0]!.timestamp);
    }
  });
});

describe("readValueParts", () => {
  it("gives each element list as it came and names keys that hold something else than a list", () => {
    const value = { metadata: META_METADATA, messages: [{ x: 1 }, "y"], statuses: { not: "a list" } };
    expect(readValueParts(value, MESSAGES_VALUE_LISTS)).toEqual({
      phoneNumberId: META_METADATA.phone_number_id,
      lists: { contacts: [], messages: [{ x: 1 }, "y"], statuses: [], errors: [] },
      malformed: ["statuses"],
    });
    expect(readValueParts(envelope({}).entry[0]!.changes[0]!.value, MESSAGES_VALUE_LISTS).phoneNumberId).toBeNull();
    expect(readValueParts("text", MESSAGES_VALUE_LISTS).malformed).toEqual(["value"]);
  });
});
