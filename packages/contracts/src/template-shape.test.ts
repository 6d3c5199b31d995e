import { describe, expect, it } from "vitest";
import { checkTemplateValues, describeTemplate, fillPlaceholders } from "./template-shape";

const ORDER_SHIPPED = [
  { type: "HEADER", format: "IMAGE", example: { header_handle: ["https://example.com/parcel.png"] } },
  { type: "BODY", text: "Hallo {{customer_name}}, Ihre Bestellung {{order_id}} wurde verschickt." },
  { type: "FOOTER", text: "Fragen? Antworten Sie hier." },
  {
    type: "BUTTONS",
    buttons: [
      { type: "URL", text: "Sendung verfolgen", url: "https://example.com/track/{{1}}" },
      { type: "QUICK_REPLY", text: "Frage" },
      { type: "URL", text: "Shop", url: "https://example.com/" },
    ],
  },
];
const SALE = [
  { type: "HEADER", format: "TEXT", text: "Aktion für {{1}}" },
  { type: "BODY", text: "Hallo {{1}}, nur bis {{2}}." },
];

describe("describeTemplate", () => {
  it("reads header format, named body parameters and buttons with dynamic URLs", () => {
    const shape = describeTemplate(ORDER_SHIPPED);
    expect(shape.header).toEqual({ format: "IMAGE", exampleUrl: "https://example.com/parcel.png" });
    expect(shape.body.params).toEqual(["customer_name", "order_id"]);
    expect(shape.isNamed).toBe(true);
    expect(shape.footer).toBe("Fragen? Antworten Sie hier.");
    expect(shape.buttons.map((b) => [b.index, b.type, b.hasUrlParam])).toEqual([
      [0, "URL", true],
      [1, "QUICK_REPLY", false],
      [2, "URL", false],
    ]);
  });

  it("reads a text header's placeholders and positional body parameters", () => {
    const shape = describeTemplate(SALE);
    expect(shape.header).toEqual({ format: "TEXT", text: "Aktion für {{1}}", params: ["1"] });
    expect(shape.body.params).toEqual(["1", "2"]);
    expect(shape.isNamed).toBe(false);
  });

  it("copes with no components at all", () => {
    expect(describeTemplate(null)).toMatchObject({ header: null, body: { params: [] }, buttons: [] });
  });
});

describe("checkTemplateValues", () => {
  const shipped = describeTemplate(ORDER_SHIPPED);
  const complete = {
    parameters: { customer_name: "Erika", order_id: "4711" },
    headerMedia: { mediaId: "asset-1" },
    buttonParameters: { "0": "4711" },
  };

  it("accepts complete values (upload or https link) and an optional quick-reply payload", () => {
    expect(checkTemplateValues(shipped, complete)).toEqual([]);
    expect(checkTemplateValues(shipped, { ...complete, headerMedia: { link: "https://cdn.example/p.png" } })).toEqual(
      [],
    );
    expect(checkTemplateValues(shipped, { ...complete, buttonParameters: { "0": "1", "1": "payload" } })).toEqual([]);
  });

  it("refuses missing, unexpected, positional-for-named and badly formatted parameters", () => {
    expect(checkTemplateValues(shipped, { ...complete, parameters: { customer_name: " " } })).toEqual([
      { field: "body.customer_name", code: "missing" },
      { field: "body.order_id", code: "missing" },
    ]);
    expect(checkTemplateValues(shipped, { ...complete, parameters: { "1": "Erika", "2": "4711" } })).toEqual(
      expect.arrayContaining([
        { field: "body.customer_name", code: "missing" },
        { field: "body.1", code: "unexpected" },
      ]),
    );
    expect(
      checkTemplateValues(shipped, { ...complete, parameters: { customer_name: "a\nb", order_id: "1     2" } }),
    ).toEqual([
      { field: "body.customer_name", code: "format" },
      { field: "body.order_id", code: "format" },
    ]);
  });

  it("requires the header media, refuses non-https links and media for a text header", () => {
    expect(checkTemplateValues(shipped, { ...complete, headerMedia: undefined })).toEqual([
      { field: "header.media", code: "media_required" },
    ]);
    expect(checkTemplateValues(shipped, { ...complete, headerMedia: { link: "http://x.example/p.png" } })).toEqual([
      { field: "header.media", code: "invalid_link" },
    ]);
    const sale = describeTemplate(SALE);
    expect(
      checkTemplateValues(sale, {
        parameters: { "1": "Mia", "2": "Sonntag" },
        headerParameters: { "1": "Mia" },
        headerMedia: { link: "https://x.example/p.png" },
      }),
    ).toEqual([{ field: "header.media", code: "media_not_expected" }]);
    expect(checkTemplateValues(sale, { parameters: { "1": "Mia", "2": "Sonntag" } })).toEqual([
      { field: "header.1", code: "missing" },
    ]);
  });

  it("requires the dynamic URL value and refuses a value for a button that takes none", () => {
    expect(checkTemplateValues(shipped, { ...complete, buttonParameters: {} })).toEqual([
      { field: "button.0", code: "missing" },
    ]);
    expect(checkTemplateValues(shipped, { ...complete, buttonParameters: { "0": "1", "2": "x", "7": "y" } })).toEqual([
      { field: "button.2", code: "unexpected" },
      { field: "button.7", code: "unexpected" },
    ]);
  });

  it("refuses a body longer than Meta's 1024 characters once filled in", () => {
    const sale = describeTemplate(SALE);
    expect(
      checkTemplateValues(sale, { parameters: { "1": "x".repeat(1020), "2": "y" }, headerParameters: { "1": "M" } }),
    ).toEqual([{ field: "body", code: "too_long" }]);
  });
});

describe("fillPlaceholders", () => {
  it("fills by name or position and leaves empty ones visible", () => {
    expect(fillPlaceholders("Hi {{ name }}, {{1}} {{2}}", { name: "Erika", "1": "A", "2": "" })).toBe(
      "Hi Erika, A {{2}}",
    );
  });
});
