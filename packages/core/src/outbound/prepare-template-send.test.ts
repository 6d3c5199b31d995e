import { describe, expect, it } from "vitest";
import { isAppError } from "../errors/app-error";
import { templateComponents } from "./build-send-request";
import { prepareTemplateSend } from "./prepare-template-send";

/** Components as Meta returns them for an approved template (see the simulator's seeded `parcel_photo`). */
const parcelPhoto = {
  name: "parcel_photo",
  language: "de",
  components: [
    { type: "HEADER", format: "IMAGE" },
    { type: "BODY", text: "Hallo {{customer_name}}, Ihr Paket wurde zugestellt." },
    { type: "FOOTER", text: "Ihr Versandteam" },
    {
      type: "BUTTONS",
      buttons: [
        { type: "URL", text: "Sendung ansehen", url: "https://example.com/track/{{1}}" },
        { type: "QUICK_REPLY", text: "Danke" },
      ],
    },
  ],
};

const reminder = {
  name: "appointment_reminder",
  language: "de",
  components: [
    { type: "HEADER", format: "TEXT", text: "Termin am {{1}}" },
    { type: "BODY", text: "Hallo {{1}}, wir erwarten Sie um {{2}} Uhr." },
  ],
};

function problemsOf(fn: () => unknown) {
  try {
    fn();
    return [];
  } catch (error) {
    if (isAppError(error) && error.code === "template_parameters_invalid") return error.details?.problems;
    throw error;
  }
}

describe("prepareTemplateSend + templateComponents (what reaches Meta)", () => {
  it("image header by link, a named body variable, a URL suffix and a quick-reply payload", () => {
    const { stored, text } = prepareTemplateSend(parcelPhoto, {
      name: "parcel_photo",
      language: "de",
      parameters: { customer_name: " Mia " },
      header: { link: "https://cdn.example.com/p.jpg" },
      buttons: [
        { index: 0, text: "4711" },
        { index: 1, payload: "thanks-4711" },
      ],
    });
    expect(text).toBe("Hallo Mia, Ihr Paket wurde zugestellt.\n\nIhr Versandteam");
    expect(templateComponents(stored)).toEqual([
      { type: "header", parameters: [{ type: "image", image: { link: "https://cdn.example.com/p.jpg" } }] },
      { type: "body", parameters: [{ type: "text", parameter_name: "customer_name", text: "Mia" }] },
      { type: "button", sub_type: "url", index: "0", parameters: [{ type: "text", text: "4711" }] },
      {
        type: "button",
        sub_type: "quick_reply",
        index: "1",
        parameters: [{ type: "payload", payload: "thanks-4711" }],
      },
    ]);
  });

  it("an uploaded header file goes out by Meta's media id once the worker set it", () => {
    const { stored } = prepareTemplateSend(parcelPhoto, {
      name: "parcel_photo",
      language: "de",
      parameters: { customer_name: "Mia" },
      header: { mediaId: "asset-1" },
      buttons: [{ index: 0, text: "4711" }],
    });
    expect(stored.header).toEqual({ type: "image", mediaAssetId: "asset-1" });
    expect(templateComponents({ ...stored, header: { ...stored.header!, id: "meta-9" } as never })[0]).toEqual({
      type: "header",
      parameters: [{ type: "image", image: { id: "meta-9" } }],
    });
  });

  it("positional header text and body values in their order", () => {
    const { stored, text } = prepareTemplateSend(reminder, {
      name: "appointment_reminder",
      language: "de",
      parameters: { "2": "10:30", "1": "Erika" },
      header: { text: "12. Mai" },
    });
    expect(text).toBe("Termin am 12. Mai\n\nHallo Erika, wir erwarten Sie um 10:30 Uhr.");
    expect(templateComponents(stored)).toEqual([
      { type: "header", parameters: [{ type: "text", text: "12. Mai" }] },
      {
        type: "body",
        parameters: [
          { type: "text", text: "Erika" },
          { type: "text", text: "10:30" },
        ],
      },
    ]);
  });

  it("refuses what Meta would refuse, naming each field: missing header file, URL suffix, unknown and blank values", () => {
    expect(
      problemsOf(() =>
        prepareTemplateSend(parcelPhoto, {
          name: "parcel_photo",
          language: "de",
          parameters: { customer_name: "  ", first_name: "x" },
        }),
      ),
    ).toEqual([
      { field: "header", kind: "media_missing" },
      { field: "body.customer_name", kind: "missing" },
      { field: "body.first_name", kind: "unexpected" },
      { field: "buttons.0", kind: "missing" },
    ]);
    expect(
      problemsOf(() =>
        prepareTemplateSend(reminder, {
          name: "appointment_reminder",
          language: "de",
          parameters: { "1": "Erika\nMustermann", "2": "10:30" },
          header: { text: "x".repeat(60) },
        }),
      ),
    ).toEqual([
      { field: "header", kind: "too_long", limit: 60 },
      { field: "body.1", kind: "invalid_characters" },
    ]);
    expect(
      problemsOf(() =>
        prepareTemplateSend(parcelPhoto, {
          name: "parcel_photo",
          language: "de",
          parameters: { customer_name: "Mia" },
          header: { link: "http://insecure.example.com/p.jpg" },
          buttons: [
            { index: 0, text: "4711" },
            { index: 5, payload: "x" },
          ],
        }),
      ),
    ).toEqual([
      { field: "header", kind: "invalid_link" },
      { field: "buttons.5", kind: "unexpected" },
    ]);
  });
});
