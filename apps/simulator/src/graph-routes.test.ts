import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  GraphErrorResponseSchema,
  MediaUrlResponseSchema,
  MessageTemplatesResponseSchema,
  SendMessageResponseSchema,
} from "@inbox/whatsapp";
import { buildSimulator, type BuiltSimulator } from "./app";
import { TEST_PHONE_NUMBER_ID, TEST_TOKEN, TEST_WABA_ID, testOptions } from "./test-helpers";

const auth = { authorization: `Bearer ${TEST_TOKEN}` };
const MESSAGES = `/v25.0/${TEST_PHONE_NUMBER_ID}/messages`;
const text = (to = "+4915112345678", body = "Hallo") => ({
  messaging_product: "whatsapp",
  to,
  type: "text",
  text: { body },
});
const template = (name: string, language: string, components: unknown[] = []) => ({
  messaging_product: "whatsapp",
  to: "+4915112345678",
  type: "template",
  template: { name, language: { code: language }, components },
});
const bodyParams = (...texts: string[]) => ({
  type: "body",
  parameters: texts.map((t) => ({ type: "text", text: t })),
});

let built: BuiltSimulator;

beforeEach(() => {
  // The webhook target is unreachable on purpose: these tests look at the Graph side only.
  built = buildSimulator(testOptions("http://127.0.0.1:9/webhooks/whatsapp", { webhookMaxAttempts: 1 }));
});
afterEach(async () => {
  await built.app.close();
});

async function send(body: unknown, headers: Record<string, string> = auth, url = MESSAGES) {
  const res = await built.app.inject({ method: "POST", url, headers, payload: body as object });
  return { status: res.statusCode, json: res.json() };
}

async function expectGraphError(body: unknown, code: number) {
  const { status, json } = await send(body);
  expect(status).toBeGreaterThanOrEqual(400);
  const parsed = GraphErrorResponseSchema.parse(json);
  expect(parsed.error.code).toBe(code);
  expect(parsed.error.error_data?.details).toBeTruthy();
  return parsed;
}

describe("Graph API side", () => {
  it("accepts a text message with Meta's success body under any /vNN.N/ prefix", async () => {
    for (const version of ["v21.0", "v25.0", "v26.0"]) {
      const { status, json } = await send(text(), auth, `/${version}/${TEST_PHONE_NUMBER_ID}/messages`);
      expect(status).toBe(200);
      const parsed = SendMessageResponseSchema.parse(json);
      expect(parsed.contacts[0]).toEqual({ input: "+4915112345678", wa_id: "4915112345678" });
      expect(parsed.messages[0]?.id).toMatch(/^wamid\.[A-Za-z0-9+/=]+$/);
    }
    expect((await send(text(), auth, `/latest/${TEST_PHONE_NUMBER_ID}/messages`)).status).toBe(400);
  });

  it("answers 190 (OAuthException) to a missing or wrong bearer token", async () => {
    for (const headers of [{}, { authorization: "Bearer wrong" }] as Record<string, string>[]) {
      const { status, json } = await send(text(), headers);
      expect(status).toBe(401);
      expect(GraphErrorResponseSchema.parse(json).error).toMatchObject({ code: 190, type: "OAuthException" });
    }
  });

  it("accepts every outbound type", async () => {
    const upload = built.sim.storeMedia(Buffer.from("x"), "image/png");
    const bodies = [
      { type: "image", image: { id: upload } },
      { type: "document", document: { link: "https://example.com/a.pdf", filename: "a.pdf" } },
      { type: "audio", audio: { link: "https://example.com/a.ogg" } },
      { type: "video", video: { link: "https://example.com/a.mp4" } },
      { type: "sticker", sticker: { link: "https://example.com/a.webp" } },
      { type: "reaction", reaction: { message_id: "wamid.X", emoji: "👍" } },
      { type: "location", location: { latitude: 52.5, longitude: 13.4 } },
      { type: "contacts", contacts: [{ name: { formatted_name: "Erika" } }] },
      {
        type: "interactive",
        interactive: {
          type: "button",
          body: { text: "?" },
          action: { buttons: [{ type: "reply", reply: { id: "y", title: "Ja" } }] },
        },
      },
      {
        type: "interactive",
        interactive: {
          type: "list",
          body: { text: "?" },
          action: { button: "Wählen", sections: [{ rows: [{ id: "a", title: "A" }] }] },
        },
      },
    ];
    for (const body of bodies) {
      const { status } = await send({ messaging_product: "whatsapp", to: "+4915112345678", ...body });
      expect(status, body.type).toBe(200);
    }
  });

  it("answers bad parameters synchronously: 100, 131008, 131009, 131051, 131021", async () => {
    await expectGraphError({ ...text(), messaging_product: "sms" }, 100);
    await expectGraphError({ messaging_product: "whatsapp", type: "text", text: { body: "x" } }, 131008);
    await expectGraphError({ messaging_product: "whatsapp", to: "+4915112345678", type: "text" }, 131008);
    await expectGraphError(text("+12"), 131009);
    await expectGraphError(
      { messaging_product: "whatsapp", to: "+4915112345678", type: "image", image: { id: "404" } },
      131009,
    );
    await expectGraphError(
      { messaging_product: "whatsapp", to: "+4915112345678", type: "text", text: { body: "" } },
      131009,
    );
    await expectGraphError({ messaging_product: "whatsapp", to: "+4915112345678", type: "poll", poll: {} }, 131051);
    await expectGraphError(text("+49 30 1234567"), 131021);
    const wrongNumber = await send(text(), auth, "/v25.0/999/messages");
    expect(GraphErrorResponseSchema.parse(wrongNumber.json).error.code).toBe(100);
  });

  it("answers template errors synchronously: 132000, 132001, 132005, 132012, 132015, 132016, 131062", async () => {
    const ok = await send(template("spring_sale", "de", [bodyParams("Erika", "Sonntag")]));
    expect(ok.status).toBe(200);
    expect(ok.json.messages[0].message_status).toBe("accepted");
    await expectGraphError(template("spring_sale", "de", [bodyParams("Erika")]), 132000);
    await expectGraphError(template("spring_sale", "fr", [bodyParams("Erika", "x")]), 132001);
    await expectGraphError(template("no_such_template", "de"), 132001);
    await expectGraphError(template("new_feature", "en", [bodyParams("x")]), 132001);
    await expectGraphError(template("spring_sale", "de", [bodyParams("Erika", "x".repeat(1100))]), 132005);
    await expectGraphError(
      template("order_update", "de", [
        { type: "header", parameters: [{ type: "text", text: "x" }] },
        bodyParams("a", "b", "c"),
      ]),
      132012,
    );
    await expectGraphError(template("order_update", "de", [bodyParams("a", "b", "c")]), 132000);
    await expectGraphError(template("winter_promo", "de", [bodyParams("x")]), 132015);
    await expectGraphError(template("legacy_notice", "de", [bodyParams("x")]), 132016);
    await expectGraphError(
      { ...template("login_code", "de", [bodyParams("123456")]), to: "DE.1234567890123456789" },
      131062,
    );
    const withImage = await send(
      template("order_update", "en", [
        { type: "header", parameters: [{ type: "image", image: { link: "https://example.com/p.png" } }] },
        bodyParams("a", "b", "c"),
      ]),
    );
    expect(withImage.status).toBe(200);
  });

  it("checks every template component as Meta does: named body parameters, media header, dynamic URL and quick-reply buttons", async () => {
    const named = (...pairs: [string, string][]) => ({
      type: "body",
      parameters: pairs.map(([parameter_name, text]) => ({ type: "text", parameter_name, text })),
    });
    const image = { type: "header", parameters: [{ type: "image", image: { link: "https://example.com/p.png" } }] };
    const url = (value: string, index = "0") => ({
      type: "button",
      sub_type: "url",
      index,
      parameters: [{ type: "text", text: value }],
    });
    const body = named(["customer_name", "Erika"], ["order_id", "4711"]);
    const ok = await send(template("order_shipped", "de", [image, body, url("4711")]));
    expect(ok.status).toBe(200);
    const chat = [...built.sim.chats.values()].flat().find((e) => e.wamid === ok.json.messages[0].id);
    expect(chat?.text).toBe("[image]\nHallo Erika, Ihre Bestellung 4711 wurde verschickt.");
    // With a quick-reply payload as well.
    const payload = {
      type: "button",
      sub_type: "quick_reply",
      index: "1",
      parameters: [{ type: "payload", payload: "q" }],
    };
    expect((await send(template("order_shipped", "de", [image, body, url("1"), payload]))).status).toBe(200);

    // Positional values for a named template: format mismatch.
    await expectGraphError(template("order_shipped", "de", [image, bodyParams("Erika", "4711"), url("1")]), 132012);
    // A name the template does not have, or one missing.
    await expectGraphError(
      template("order_shipped", "de", [image, named(["customer_name", "E"], ["order", "1"]), url("1")]),
      132000,
    );
    await expectGraphError(template("order_shipped", "de", [image, named(["customer_name", "E"]), url("1")]), 132000);
    // Named values for a positional template.
    await expectGraphError(template("order_update", "de", [image, named(["1", "a"], ["2", "b"], ["3", "c"])]), 132012);
    // The required media header missing, of the wrong type, or not https.
    await expectGraphError(template("order_shipped", "de", [body, url("1")]), 132000);
    await expectGraphError(
      template("order_shipped", "de", [
        { type: "header", parameters: [{ type: "video", video: { link: "https://example.com/v.mp4" } }] },
        body,
        url("1"),
      ]),
      132012,
    );
    await expectGraphError(
      template("order_shipped", "de", [
        { type: "header", parameters: [{ type: "image", image: { link: "http://example.com/p.png" } }] },
        body,
        url("1"),
      ]),
      131009,
    );
    // The dynamic URL button without its value; a button index the template does not have; a wrong sub_type.
    await expectGraphError(template("order_shipped", "de", [image, body]), 132000);
    await expectGraphError(template("order_shipped", "de", [image, body, url("1"), url("x", "5")]), 131009);
    await expectGraphError(template("order_shipped", "de", [image, body, url("1"), url("x", "1")]), 132012);
  });

  it("checks a location header and currency / date_time body parameters as Meta does", async () => {
    const pin = (location: Record<string, unknown>) => ({
      type: "header",
      parameters: [{ type: "location", location }],
    });
    const place = { latitude: "52.520008", longitude: "13.404954", name: "Filiale Mitte", address: "Alexanderplatz 1" };
    const currency = (c: Record<string, unknown>) => ({ type: "currency", currency: c });
    const euro = currency({ fallback_value: "12,50 €", code: "EUR", amount_1000: 12500 });
    const date = { type: "date_time", date_time: { fallback_value: "3. Dezember 2026" } };
    const body = (...params: unknown[]) => ({ type: "body", parameters: [{ type: "text", text: "Erika" }, ...params] });

    const ok = await send(template("pickup_ready", "de", [pin(place), body(euro, date)]));
    expect(ok.status).toBe(200);
    const chat = [...built.sim.chats.values()].flat().find((e) => e.wamid === ok.json.messages[0].id);
    // The phone shows the pin's place and the fallback texts of the amount and the date.
    expect(chat?.text).toBe(
      "📍 Filiale Mitte, Alexanderplatz 1\nHallo Erika, Ihre Bestellung über 12,50 € liegt ab 3. Dezember 2026 hier zur Abholung bereit.",
    );
    // Numbers are accepted as well as numeric text.
    expect(
      (await send(template("pickup_ready", "de", [pin({ ...place, latitude: -33.9 }), body(euro, date)]))).status,
    ).toBe(200);

    // The location header missing, of the wrong kind, incomplete, or off the globe.
    await expectGraphError(template("pickup_ready", "de", [body(euro, date)]), 132000);
    await expectGraphError(
      template("pickup_ready", "de", [
        { type: "header", parameters: [{ type: "image", image: { link: "https://example.com/p.png" } }] },
        body(euro, date),
      ]),
      132012,
    );
    await expectGraphError(template("pickup_ready", "de", [pin({ ...place, name: "" }), body(euro, date)]), 131008);
    await expectGraphError(
      template("pickup_ready", "de", [pin({ ...place, address: undefined }), body(euro, date)]),
      131008,
    );
    await expectGraphError(
      template("pickup_ready", "de", [pin({ ...place, latitude: "91" }), body(euro, date)]),
      131009,
    );
    await expectGraphError(
      template("pickup_ready", "de", [pin({ ...place, longitude: "east" }), body(euro, date)]),
      131009,
    );
    // A currency without an ISO 4217 code, with a fractional amount or without a fallback; a date without one.
    const bad = [
      currency({ fallback_value: "12,50 €", code: "€", amount_1000: 12500 }),
      currency({ fallback_value: "12,50 €", code: "EUR", amount_1000: 12.5 }),
    ];
    for (const c of bad) await expectGraphError(template("pickup_ready", "de", [pin(place), body(c, date)]), 131009);
    await expectGraphError(
      template("pickup_ready", "de", [
        pin(place),
        body(currency({ fallback_value: "", code: "EUR", amount_1000: 1 }), date),
      ]),
      131008,
    );
    await expectGraphError(
      template("pickup_ready", "de", [
        pin(place),
        body(euro, { type: "date_time", date_time: { fallback_value: "" } }),
      ]),
      131008,
    );
    // A location parameter where the template has a media header.
    await expectGraphError(template("order_update", "de", [pin(place), bodyParams("a", "b", "c")]), 132012);
  });

  it("answers 130429 above the configured per-number throughput", async () => {
    built.sim.throughputPerSec = 3;
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await send(text(`+49151000000${i}`))).status);
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    const error = await expectGraphError(text("+4915100000009"), 130429);
    expect(error.error.message).toBe("(#130429) Rate limit hit");
  });

  it("forces any error synchronously and 5xx answers through the control API", async () => {
    await built.app.inject({ method: "POST", url: "/_control/force", payload: { code: 131000, count: 1 } });
    await expectGraphError(text(), 131000);
    expect((await send(text())).status).toBe(200);
    await built.app.inject({ method: "POST", url: "/_control/force", payload: { http: 503 } });
    const { status, json } = await send(text());
    expect(status).toBe(503);
    expect(json.error.code).toBe(2);
  });

  it("marks inbound messages read", async () => {
    const customer = built.sim.addCustomer({ phone: "+4915112345678" });
    const { wamid } = await built.sim.receiveFromCustomer(
      customer,
      { type: "text", text: { body: "Hi" } },
      { wait: false },
    );
    const res = await send({ messaging_product: "whatsapp", status: "read", message_id: wamid });
    expect(res.json).toEqual({ success: true });
    expect(built.sim.chats.get(customer.id)?.[0]?.status).toBe("read");
  });
});

describe("templates", () => {
  it("seeds approved utility, marketing and authentication templates in de and en with variables, media header and buttons", async () => {
    const res = await built.app.inject({
      method: "GET",
      url: `/v25.0/${TEST_WABA_ID}/message_templates?limit=100`,
      headers: auth,
    });
    const { data } = MessageTemplatesResponseSchema.parse(res.json());
    const approved = data.filter((t) => t.status === "APPROVED");
    for (const category of ["UTILITY", "MARKETING", "AUTHENTICATION"]) {
      for (const language of ["de", "en"]) {
        const t = approved.find((x) => x.category === category && x.language === language);
        expect(t, `${category}/${language}`).toBeDefined();
        expect(t!.components.find((c) => c.type === "BODY")?.text).toMatch(/\{\{1\}\}/);
        expect(t!.components.find((c) => c.type === "BUTTONS")?.buttons?.length).toBeGreaterThan(0);
      }
    }
    expect(approved.some((t) => t.components.some((c) => c.type === "HEADER" && c.format === "IMAGE"))).toBe(true);
  });

  it("pages with cursors", async () => {
    const first = await built.app.inject({
      method: "GET",
      url: `/v25.0/${TEST_WABA_ID}/message_templates?limit=2`,
      headers: auth,
    });
    const page = MessageTemplatesResponseSchema.parse(first.json());
    expect(page.data).toHaveLength(2);
    expect(page.paging?.next).toContain("after=2");
  });
});

describe("number settings", () => {
  const settings = `/v25.0/${TEST_PHONE_NUMBER_ID}/settings`;
  const enable = { storage_configuration: { status: "IN_COUNTRY_STORAGE_ENABLED", data_localization_region: "DE" } };

  it("accepts storage_configuration only while the number is unregistered", async () => {
    const refused = await built.app.inject({ method: "POST", url: settings, headers: auth, payload: enable });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe(100);

    const dereg = await built.app.inject({
      method: "POST",
      url: `/v25.0/${TEST_PHONE_NUMBER_ID}/deregister`,
      headers: auth,
    });
    expect(dereg.json()).toEqual({ success: true });
    expect((await send(text())).json.error.code).toBe(133010);

    const accepted = await built.app.inject({ method: "POST", url: settings, headers: auth, payload: enable });
    expect(accepted.json()).toEqual({ success: true });
    const read = await built.app.inject({ method: "GET", url: settings, headers: auth });
    expect(read.json()).toEqual(enable);

    const badPin = await built.app.inject({
      method: "POST",
      url: `/v25.0/${TEST_PHONE_NUMBER_ID}/register`,
      headers: auth,
      payload: { messaging_product: "whatsapp", pin: "12" },
    });
    expect(badPin.json().error.code).toBe(100);
    const withRegion = await built.app.inject({
      method: "POST",
      url: `/v25.0/${TEST_PHONE_NUMBER_ID}/register`,
      headers: auth,
      payload: { messaging_product: "whatsapp", pin: "123456", data_localization_region: "DE" },
    });
    expect(withRegion.json().error.code).toBe(100);
    const register = await built.app.inject({
      method: "POST",
      url: `/v25.0/${TEST_PHONE_NUMBER_ID}/register`,
      headers: auth,
      payload: { messaging_product: "whatsapp", pin: "123456" },
    });
    expect(register.json()).toEqual({ success: true });
    expect((await send(text())).status).toBe(200);
  });

  it("answers 133016 after too many registration attempts", async () => {
    const url = `/v25.0/${TEST_PHONE_NUMBER_ID}/register`;
    let last;
    for (let i = 0; i < 11; i++)
      last = await built.app.inject({
        method: "POST",
        url,
        headers: auth,
        payload: { messaging_product: "whatsapp", pin: "123456" },
      });
    expect(last?.json().error.code).toBe(133016);
  });
});

describe("media", () => {
  it("uploads multipart, returns a short-lived URL and serves bytes only with the bearer token", async () => {
    const form = new FormData();
    form.set("messaging_product", "whatsapp");
    form.set("type", "image/png");
    form.set("file", new Blob([Buffer.from("PNGDATA")], { type: "image/png" }), "a.png");
    const request = new Request("http://x", { method: "POST", body: form });
    const payload = Buffer.from(await request.arrayBuffer());
    const upload = await built.app.inject({
      method: "POST",
      url: `/v25.0/${TEST_PHONE_NUMBER_ID}/media`,
      headers: { ...auth, "content-type": request.headers.get("content-type")! },
      payload,
    });
    expect(upload.statusCode).toBe(200);
    const { id } = upload.json();
    const meta = MediaUrlResponseSchema.parse(
      (await built.app.inject({ method: "GET", url: `/v25.0/${id}`, headers: auth })).json(),
    );
    expect(meta.file_size).toBe(7);
    const path = new URL(meta.url).pathname;
    expect((await built.app.inject({ method: "GET", url: path })).statusCode).toBe(401);
    const bytes = await built.app.inject({ method: "GET", url: path, headers: auth });
    expect(bytes.body).toBe("PNGDATA");
    built.sim.advanceClock(6 * 60_000);
    expect((await built.app.inject({ method: "GET", url: path, headers: auth })).statusCode).toBe(404);
  });

  it("refuses unsupported MIME types with 131053", async () => {
    const form = new FormData();
    form.set("messaging_product", "whatsapp");
    form.set("file", new Blob([Buffer.from("x")], { type: "application/x-msdownload" }), "a.exe");
    const request = new Request("http://x", { method: "POST", body: form });
    const res = await built.app.inject({
      method: "POST",
      url: `/v25.0/${TEST_PHONE_NUMBER_ID}/media`,
      headers: { ...auth, "content-type": request.headers.get("content-type")! },
      payload: Buffer.from(await request.arrayBuffer()),
    });
    expect(res.json().error.code).toBe(131053);
  });
});
