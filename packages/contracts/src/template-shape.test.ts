import { describe, expect, it } from "vitest";
import {
  checkTemplateValues,
  describeTemplate,
  fillPlaceholders,
  isCurrencyCode,
  parseCoordinate,
} from "./template-shape";

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

describe("location headers and currency / date_time variables", () => {
  const pickup = describeTemplate([
    { type: "HEADER", format: "LOCATION" },
    { type: "BODY", text: "Hallo {{1}}, Ihre Bestellung über {{2}} liegt ab {{3}} bereit." },
  ]);
  const place = { latitude: "52.520008", longitude: "13,404954", name: "Filiale Mitte", address: "Alexanderplatz 1" };
  const complete = {
    parameters: { "1": "Erika", "2": "12,50 €", "3": "3. Dezember 2026" },
    typedParameters: {
      "2": { type: "currency" as const, code: "EUR", amount1000: 12500 },
      "3": { type: "date_time" as const },
    },
    headerLocation: place,
  };

  it("reads a LOCATION header and accepts a complete pin with currency and date variables", () => {
    expect(pickup.header).toEqual({ format: "LOCATION" });
    expect(checkTemplateValues(pickup, complete)).toEqual([]);
    expect(checkTemplateValues(pickup, { ...complete, typedParameters: undefined })).toEqual([]);
  });

  it("requires every part of the pin and keeps coordinates on the globe", () => {
    expect(checkTemplateValues(pickup, { ...complete, headerLocation: undefined })).toEqual([
      { field: "header.location.latitude", code: "missing" },
      { field: "header.location.longitude", code: "missing" },
      { field: "header.location.name", code: "missing" },
      { field: "header.location.address", code: "missing" },
    ]);
    expect(
      checkTemplateValues(pickup, { ...complete, headerLocation: { ...place, latitude: "90.5", longitude: "abc" } }),
    ).toEqual([
      { field: "header.location.latitude", code: "out_of_range" },
      { field: "header.location.longitude", code: "out_of_range" },
    ]);
    expect(checkTemplateValues(pickup, { ...complete, headerLocation: { ...place, address: "  " } })).toEqual([
      { field: "header.location.address", code: "missing" },
    ]);
    // A pin for a template without a map header; media for a map header.
    const sale = describeTemplate(SALE);
    expect(
      checkTemplateValues(sale, {
        parameters: { "1": "Mia", "2": "Sonntag" },
        headerParameters: { "1": "Mia" },
        headerLocation: place,
      }),
    ).toEqual([{ field: "header.location", code: "unexpected" }]);
    expect(checkTemplateValues(pickup, { ...complete, headerMedia: { link: "https://x.example/p.png" } })).toEqual([
      { field: "header.media", code: "media_not_expected" },
    ]);
  });

  it("refuses a currency without an ISO 4217 code or a whole amount, an empty fallback, a variable not in the body", () => {
    const typed = (t: Record<string, unknown>) => ({ ...complete, typedParameters: { "2": t } }) as typeof complete;
    expect(checkTemplateValues(pickup, typed({ type: "currency", code: "eur", amount1000: 12500 }))).toEqual([
      { field: "body.2.currency", code: "invalid_currency" },
    ]);
    expect(checkTemplateValues(pickup, typed({ type: "currency", code: "EUR", amount1000: 12.5 }))).toEqual([
      { field: "body.2.amount", code: "invalid_amount" },
    ]);
    expect(checkTemplateValues(pickup, typed({ type: "currency", code: "XYZ", amount1000: Number.NaN }))).toEqual([
      { field: "body.2.currency", code: "invalid_currency" },
      { field: "body.2.amount", code: "invalid_amount" },
    ]);
    expect(checkTemplateValues(pickup, { ...complete, parameters: { ...complete.parameters, "3": " " } })).toEqual([
      { field: "body.3", code: "missing" },
    ]);
    expect(
      checkTemplateValues(pickup, { ...complete, typedParameters: { "9": { type: "date_time" as const } } }),
    ).toEqual([{ field: "body.9", code: "unexpected" }]);
  });

  it("knows ISO 4217 codes and reads coordinates with a dot or a comma", () => {
    expect(["EUR", "USD", "CHF", "GBP"].every(isCurrencyCode)).toBe(true);
    expect(["eur", "€", "EURO", "ABC", ""].some(isCurrencyCode)).toBe(false);
    expect(parseCoordinate("-33,8688", 90)).toBe(-33.8688);
    expect(parseCoordinate("180", 180)).toBe(180);
    expect(parseCoordinate("180.1", 180)).toBeNull();
    expect(parseCoordinate("1e2", 180)).toBeNull();
    expect(parseCoordinate("", 90)).toBeNull();
  });
});

describe("fillPlaceholders", () => {
  it("fills by name or position and leaves empty ones visible", () => {
    expect(fillPlaceholders("Hi {{ name }}, {{1}} {{2}}", { name: "Erika", "1": "A", "2": "" })).toBe(
      "Hi Erika, A {{2}}",
    );
  });
});
