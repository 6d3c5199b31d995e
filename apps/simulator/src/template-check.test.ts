/**
 * The simulator refuses template sends as Meta's Cloud API does (error codes from Meta's error-code reference:
 * 132000 parameter count mismatch, 132012 parameter format, 131008 missing parameter, 131009 invalid value):
 * named body variables, media headers, dynamic URL buttons and quick-reply payloads.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GraphErrorResponseSchema } from "@inbox/whatsapp";
import { buildSimulator, type BuiltSimulator } from "./app";
import { TEST_PHONE_NUMBER_ID, TEST_TOKEN, testOptions } from "./test-helpers";

const MESSAGES = `/v25.0/${TEST_PHONE_NUMBER_ID}/messages`;
const send = (name: string, components: unknown[]) => ({
  messaging_product: "whatsapp",
  to: "+4915112345678",
  type: "template",
  template: { name, language: { code: "de" }, components },
});
const image = { type: "header", parameters: [{ type: "image", image: { link: "https://example.com/p.jpg" } }] };
const named = (name: string, text: string) => ({
  type: "body",
  parameters: [{ type: "text", parameter_name: name, text }],
});
const urlButton = (index: string, text: string) => ({
  type: "button",
  sub_type: "url",
  index,
  parameters: [{ type: "text", text }],
});

let built: BuiltSimulator;
beforeEach(() => {
  built = buildSimulator(testOptions("http://127.0.0.1:9/webhooks/whatsapp", { webhookMaxAttempts: 1 }));
});
afterEach(async () => {
  await built.app.close();
});

async function post(body: unknown) {
  const res = await built.app.inject({
    method: "POST",
    url: MESSAGES,
    headers: { authorization: `Bearer ${TEST_TOKEN}` },
    payload: body as object,
  });
  return { status: res.statusCode, json: res.json() };
}
async function codeOf(body: unknown): Promise<number | "ok"> {
  const { status, json } = await post(body);
  if (status === 200) return "ok";
  return GraphErrorResponseSchema.parse(json).error.code;
}

describe("template sends checked like Meta", () => {
  it("accepts an image header, a named body variable, a URL suffix and a quick-reply payload, and shows the text", async () => {
    const ok = await post(
      send("parcel_photo", [
        image,
        named("customer_name", "Mia"),
        urlButton("0", "4711"),
        { type: "button", sub_type: "quick_reply", index: "1", parameters: [{ type: "payload", payload: "p-1" }] },
      ]),
    );
    expect(ok.status).toBe(200);
    const chat = [...built.sim.chats.values()].flat().at(-1)!;
    expect(chat.text).toBe(
      "[image]\nHallo Mia, Ihr Paket wurde zugestellt. Das Foto zeigt, wo es liegt.\nIhr Versandteam",
    );
  });

  it("132000 when a value is missing or extra, by name or position, in the header, body or a URL button", async () => {
    expect(await codeOf(send("parcel_photo", [image, named("customer_name", "Mia")]))).toBe(132000);
    expect(await codeOf(send("parcel_photo", [named("customer_name", "Mia"), urlButton("0", "1")]))).toBe(132000);
    expect(await codeOf(send("parcel_photo", [image, named("first_name", "Mia"), urlButton("0", "1")]))).toBe(132000);
    expect(
      await codeOf(
        send("parcel_photo", [
          image,
          { type: "body", parameters: [{ type: "text", text: "Mia" }] },
          urlButton("0", "1"),
        ]),
      ),
    ).toBe(132000);
    expect(
      await codeOf(
        send("appointment_reminder", [
          {
            type: "body",
            parameters: [
              { type: "text", text: "a" },
              { type: "text", text: "b" },
            ],
          },
        ]),
      ),
    ).toBe(132000);
  });

  it("132012 for a value of the wrong kind; 131009 for an unknown media id or button", async () => {
    const video = { type: "header", parameters: [{ type: "video", video: { link: "https://example.com/v.mp4" } }] };
    expect(await codeOf(send("parcel_photo", [video, named("customer_name", "Mia"), urlButton("0", "1")]))).toBe(
      132012,
    );
    const unknownMedia = { type: "header", parameters: [{ type: "image", image: { id: "123" } }] };
    expect(await codeOf(send("parcel_photo", [unknownMedia, named("customer_name", "Mia"), urlButton("0", "1")]))).toBe(
      131009,
    );
    expect(
      await codeOf(
        send("parcel_photo", [image, named("customer_name", "Mia"), urlButton("0", "1"), urlButton("7", "x")]),
      ),
    ).toBe(131009);
    expect(
      await codeOf(
        send("parcel_photo", [
          image,
          named("customer_name", "Mia"),
          urlButton("0", "1"),
          { type: "button", sub_type: "quick_reply", index: "0", parameters: [{ type: "payload", payload: "x" }] },
        ]),
      ),
    ).toBe(131009);
  });
});
