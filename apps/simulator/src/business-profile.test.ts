import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GraphApiError, GraphClient } from "@inbox/whatsapp";
import { startSimulator, type RunningSimulator } from "./server";
import { NO_RECEIVER, TEST_PHONE_NUMBER_ID, TEST_TOKEN, testOptions } from "./test-helpers";

/** The product's Graph client against the simulator: business profile and Resumable Upload, Meta's wire format. */
describe("business profile", () => {
  let sim: RunningSimulator;
  let graph: GraphClient;
  beforeAll(async () => {
    sim = await startSimulator({ ...testOptions(NO_RECEIVER), port: 0 });
    graph = new GraphClient({ baseUrl: `${sim.url}/v25.0`, accessToken: TEST_TOKEN });
  });
  afterAll(async () => sim.close());
  beforeEach(() => sim.sim.reset());

  const graphError = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GraphApiError);
    return error as GraphApiError;
  };

  it("answers the profile as data[0] with the fields asked for; a POST changes only what it names", async () => {
    expect(await graph.getBusinessProfile(TEST_PHONE_NUMBER_ID)).toEqual({
      messaging_product: "whatsapp",
      about: "Hey there! I am using WhatsApp.",
      websites: [],
      vertical: "UNDEFINED",
    });
    await graph.updateBusinessProfile(TEST_PHONE_NUMBER_ID, {
      messaging_product: "whatsapp",
      about: "Wir antworten werktags in einer Stunde",
      description: "Fahrräder und Service in Leipzig",
      email: "service@example.com",
      websites: ["https://example.com", "https://example.com/shop"],
      vertical: "RETAIL",
    });
    await graph.updateBusinessProfile(TEST_PHONE_NUMBER_ID, {
      messaging_product: "whatsapp",
      address: "Markt 1, Leipzig",
    });
    expect(await graph.getBusinessProfile(TEST_PHONE_NUMBER_ID)).toMatchObject({
      about: "Wir antworten werktags in einer Stunde",
      address: "Markt 1, Leipzig",
      description: "Fahrräder und Service in Leipzig",
      email: "service@example.com",
      websites: ["https://example.com", "https://example.com/shop"],
      vertical: "RETAIL",
    });
    const res = await fetch(`${sim.url}/v25.0/${TEST_PHONE_NUMBER_ID}/whatsapp_business_profile?fields=about`, {
      headers: { authorization: `Bearer ${TEST_TOKEN}` },
    });
    expect(await res.json()).toEqual({
      data: [{ about: "Wir antworten werktags in einer Stunde", messaging_product: "whatsapp" }],
    });
  });

  it("refuses what Meta refuses with code 100: over-long about, three websites, unknown vertical, no messaging_product", async () => {
    const post = (body: object) =>
      fetch(`${sim.url}/v25.0/${TEST_PHONE_NUMBER_ID}/whatsapp_business_profile`, {
        method: "POST",
        headers: { authorization: `Bearer ${TEST_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    for (const body of [
      { messaging_product: "whatsapp", about: "x".repeat(140) },
      { messaging_product: "whatsapp", about: "" },
      { messaging_product: "whatsapp", description: "x".repeat(513) },
      { messaging_product: "whatsapp", websites: ["https://a.example", "https://b.example", "https://c.example"] },
      { messaging_product: "whatsapp", websites: ["example.com"] },
      { messaging_product: "whatsapp", vertical: "BICYCLES" },
      { messaging_product: "whatsapp", email: "not an address" },
      { about: "ok" },
    ]) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: { code: number } }).error.code).toBe(100);
    }
    expect((await graph.getBusinessProfile(TEST_PHONE_NUMBER_ID)).about).toBe("Hey there! I am using WhatsApp.");
    // Another number, and a wrong token.
    expect((await graphError(graph.getBusinessProfile("999"))).code).toBe(100);
    const stranger = new GraphClient({ baseUrl: `${sim.url}/v25.0`, accessToken: "wrong" });
    expect((await graphError(stranger.getBusinessProfile(TEST_PHONE_NUMBER_ID))).code).toBe(190);
  });

  it("sets the photo from a Resumable Upload handle; an unknown handle is refused", async () => {
    const png = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");
    const handle = await graph.uploadResumable({ bytes: png, mimeType: "image/png", filename: "logo.png" });
    expect(handle).toMatch(/^4::/);
    await graph.updateBusinessProfile(TEST_PHONE_NUMBER_ID, {
      messaging_product: "whatsapp",
      profile_picture_handle: handle,
    });
    const { profile_picture_url: url } = await graph.getBusinessProfile(TEST_PHONE_NUMBER_ID);
    expect(url).toMatch(/\/_profile-picture\//);
    expect(Buffer.from(await (await fetch(url!)).arrayBuffer())).toEqual(png);

    const refused = await graphError(
      graph.updateBusinessProfile(TEST_PHONE_NUMBER_ID, {
        messaging_product: "whatsapp",
        profile_picture_handle: "4::bm90IGEgaGFuZGxl",
      }),
    );
    expect(refused.code).toBe(100);
    // The data step wants `OAuth <token>`, and a file type Meta takes.
    const session = await fetch(`${sim.url}/v25.0/app/uploads?file_length=3&file_type=image/gif`, {
      method: "POST",
      headers: { authorization: `Bearer ${TEST_TOKEN}` },
    });
    expect(session.status).toBe(400);
  });
});
