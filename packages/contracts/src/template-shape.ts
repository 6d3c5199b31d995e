/**
 * What a synced WhatsApp template asks for when it is sent, and whether a set of values fits it. Plain functions
 * (no zod) shared by the console's picker (preview, form checks) and the server (the same checks before queuing),
 * so the form refuses exactly what the API would refuse.
 */

/** Meta's template text limits: body 1024 characters once filled in, a header text 60. */
export const TEMPLATE_BODY_MAX_LENGTH = 1024;
export const TEMPLATE_HEADER_TEXT_MAX_LENGTH = 60;
/** Meta's limit for a free-form text message and for a media caption. */
export const TEXT_MESSAGE_MAX_LENGTH = 4096;
export const CAPTION_MAX_LENGTH = 1024;

export const TEMPLATE_MEDIA_FORMATS = ["IMAGE", "VIDEO", "DOCUMENT"] as const;
export type TemplateMediaFormat = (typeof TEMPLATE_MEDIA_FORMATS)[number];

export type TemplateHeaderShape =
  | { format: "TEXT"; text: string; params: string[] }
  | { format: TemplateMediaFormat; exampleUrl: string | null }
  | { format: "LOCATION" };

export interface TemplateButtonShape {
  /** Position in the BUTTONS component: Meta's `index` when sending a button parameter. */
  index: number;
  /** QUICK_REPLY | URL | PHONE_NUMBER | OTP | COPY_CODE | … (upper case, as Meta lists them). */
  type: string;
  text: string;
  url: string | null;
  /** A URL button whose url ends in {{1}}: the value completes the link. */
  hasUrlParam: boolean;
}

export interface TemplateShape {
  header: TemplateHeaderShape | null;
  body: { text: string; params: string[] };
  /** Named parameters ({{first_name}}) rather than positional ones ({{1}}, {{2}}). */
  isNamed: boolean;
  footer: string | null;
  buttons: TemplateButtonShape[];
}

/**
 * ISO 4217 currency codes in use (Meta's `currency.code`). A fixed list rather than `Intl.supportedValuesOf`, so
 * the console and the server refuse exactly the same codes whatever their runtime knows.
 */
const ISO_4217_CODES = new Set(
  (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF " +
    "CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG " +
    "HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA " +
    "MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD " +
    "RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX " +
    "USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG"
  ).split(" "),
);

/** An ISO 4217 code in use, upper case as Meta expects it ("EUR", not "eur" or "€"). */
export function isCurrencyCode(code: string): boolean {
  return ISO_4217_CODES.has(code);
}

/** Meta's kinds of body parameter: plain text, or an amount / a date the customer's phone may format. */
export const TEMPLATE_PARAMETER_KINDS = ["text", "currency", "date_time"] as const;
export type TemplateParameterKind = (typeof TEMPLATE_PARAMETER_KINDS)[number];

/**
 * A body variable sent as currency or date_time instead of text. Its text in `parameters` is Meta's
 * `fallback_value` (what the customer sees and the preview shows); a currency adds the ISO 4217 code and the
 * amount in thousandths (`amount_1000`: 12.50 € → 12500).
 */
export type TypedTemplateParameter = { type: "currency"; code: string; amount1000: number } | { type: "date_time" };

/** A LOCATION header's pin: coordinates as decimal degrees (text, as typed), with the place's name and address. */
export interface TemplateHeaderLocation {
  latitude: string;
  longitude: string;
  name: string;
  address: string;
}

/** What an agent filled in for a template send; keys as the placeholders read ("1", "first_name"). */
export interface TemplateValues {
  parameters: Record<string, string>;
  /** Body variables of kind currency or date_time (the others are text). */
  typedParameters?: Record<string, TypedTemplateParameter> | undefined;
  /** The pin of a LOCATION header. */
  headerLocation?: TemplateHeaderLocation | undefined;
  headerParameters?: Record<string, string> | undefined;
  /** Header media: an uploaded attachment (our id) or a public https link. */
  headerMedia?: { mediaId?: string | undefined; link?: string | undefined; filename?: string | undefined } | undefined;
  /** Per button index: the URL suffix of a dynamic URL button, or a quick-reply payload. */
  buttonParameters?: Record<string, string> | undefined;
}

export type TemplateProblemCode =
  | "missing"
  | "unexpected"
  | "format"
  | "too_long"
  | "media_required"
  | "media_not_expected"
  | "invalid_link"
  | "out_of_range"
  | "invalid_currency"
  | "invalid_amount";

export interface TemplateProblem {
  /**
   * body.<name> | body.<name>.currency | body.<name>.amount | header.<name> | header.media |
   * header.location(.latitude|.longitude|.name|.address) | button.<index> | body | header
   */
  field: string;
  code: TemplateProblemCode;
}

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

function component(components: unknown[], type: string): Record<string, unknown> | undefined {
  return components.find(
    (c): c is Record<string, unknown> =>
      !!c && typeof c === "object" && String((c as { type?: unknown }).type).toUpperCase() === type,
  );
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");

/** Reads Meta's component list (as synced) into what a send must supply. */
export function describeTemplate(components: unknown): TemplateShape {
  const list = Array.isArray(components) ? (components as unknown[]) : [];
  const header = component(list, "HEADER");
  const body = component(list, "BODY");
  const footer = component(list, "FOOTER");
  const buttons = component(list, "BUTTONS");
  const bodyText = str(body?.text);
  const bodyParams = placeholders(bodyText);
  let headerShape: TemplateHeaderShape | null = null;
  if (header) {
    const format = str(header.format).toUpperCase() || "TEXT";
    if ((TEMPLATE_MEDIA_FORMATS as readonly string[]).includes(format)) {
      const example = header.example as { header_handle?: unknown } | undefined;
      const handle = Array.isArray(example?.header_handle) ? str(example.header_handle[0]) : "";
      headerShape = { format: format as TemplateMediaFormat, exampleUrl: handle || null };
    } else if (format === "LOCATION") {
      headerShape = { format: "LOCATION" };
    } else {
      const text = str(header.text);
      headerShape = { format: "TEXT", text, params: placeholders(text) };
    }
  }
  const rawButtons = Array.isArray(buttons?.buttons) ? (buttons.buttons as Record<string, unknown>[]) : [];
  return {
    header: headerShape,
    body: { text: bodyText, params: bodyParams },
    isNamed: bodyParams.some((p) => !/^\d+$/.test(p)),
    footer: footer ? str(footer.text) : null,
    buttons: rawButtons.map((b, index) => {
      const url = str(b.url) || null;
      return {
        index,
        type: str(b.type).toUpperCase(),
        text: str(b.text),
        url,
        hasUrlParam: !!url && placeholders(url).length > 0,
      };
    }),
  };
}

/** Replaces {{name}} by its value; unknown or empty ones stay visible as {{name}}. */
export function fillPlaceholders(text: string, values: Record<string, string> | undefined): string {
  return text.replace(PLACEHOLDER, (whole, key: string) => values?.[key] || whole);
}

/** Meta refuses parameter text with new lines, tabs or more than four consecutive spaces. */
function hasBadFormat(value: string): boolean {
  return /[\n\r\t]/.test(value) || / {5,}/.test(value);
}

function checkParams(
  prefix: "body" | "header",
  expected: string[],
  given: Record<string, string> | undefined,
  problems: TemplateProblem[],
): void {
  for (const name of expected) {
    const value = given?.[name]?.trim();
    if (!value) problems.push({ field: `${prefix}.${name}`, code: "missing" });
    else if (hasBadFormat(given![name]!)) problems.push({ field: `${prefix}.${name}`, code: "format" });
  }
  for (const name of Object.keys(given ?? {})) {
    if (!expected.includes(name)) problems.push({ field: `${prefix}.${name}`, code: "unexpected" });
  }
}

/** Currency variables: an ISO 4217 code and a whole number of thousandths; both only for the template's variables. */
function checkTypedParams(
  expected: string[],
  typed: Record<string, TypedTemplateParameter> | undefined,
  problems: TemplateProblem[],
): void {
  for (const [name, param] of Object.entries(typed ?? {})) {
    if (!expected.includes(name)) {
      problems.push({ field: `body.${name}`, code: "unexpected" });
      continue;
    }
    if (param.type !== "currency") continue;
    if (!isCurrencyCode(param.code)) problems.push({ field: `body.${name}.currency`, code: "invalid_currency" });
    if (!Number.isSafeInteger(param.amount1000))
      problems.push({ field: `body.${name}.amount`, code: "invalid_amount" });
  }
}

/** A decimal number (dot or comma) within ±limit; null when it is none. */
export function parseCoordinate(value: string, limit: 90 | 180): number | null {
  const text = value.trim().replace(",", ".");
  if (!/^[+-]?\d{1,3}(\.\d+)?$/.test(text)) return null;
  const n = Number(text);
  return Math.abs(n) <= limit ? n : null;
}

/** A LOCATION header needs the pin: latitude within ±90, longitude within ±180, the place's name and address. */
function checkLocation(location: TemplateHeaderLocation | undefined, problems: TemplateProblem[]): void {
  const coordinates = [
    ["latitude", 90],
    ["longitude", 180],
  ] as const;
  for (const [key, limit] of coordinates) {
    const value = location?.[key]?.trim() ?? "";
    if (!value) problems.push({ field: `header.location.${key}`, code: "missing" });
    else if (parseCoordinate(value, limit) === null)
      problems.push({ field: `header.location.${key}`, code: "out_of_range" });
  }
  for (const key of ["name", "address"] as const) {
    if (!location?.[key]?.trim()) problems.push({ field: `header.location.${key}`, code: "missing" });
  }
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}

/**
 * Every reason the values do not fit the template: parameters missing or not in the template (positional keys for
 * a named template count as not in it), bad parameter text, required header media missing, a link that is not
 * https, a LOCATION header's pin incomplete or off the globe, a currency variable without an ISO 4217 code or a
 * whole amount in thousandths, a dynamic URL button without its value, and a body longer than Meta's 1024
 * characters once filled in (currency and date variables count with their fallback text).
 */
export function checkTemplateValues(shape: TemplateShape, values: TemplateValues): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  checkParams("body", shape.body.params, values.parameters, problems);
  const header = shape.header;
  checkParams("header", header?.format === "TEXT" ? header.params : [], values.headerParameters, problems);
  const media = values.headerMedia;
  const hasMedia = !!media && (!!media.mediaId || !!media.link);
  if (header && header.format !== "TEXT" && header.format !== "LOCATION") {
    if (!hasMedia) problems.push({ field: "header.media", code: "media_required" });
    else if (media.link && !isHttpsUrl(media.link)) problems.push({ field: "header.media", code: "invalid_link" });
  } else if (hasMedia) {
    problems.push({ field: "header.media", code: "media_not_expected" });
  }
  checkTypedParams(shape.body.params, values.typedParameters, problems);
  if (header?.format === "LOCATION") checkLocation(values.headerLocation, problems);
  else if (values.headerLocation) problems.push({ field: "header.location", code: "unexpected" });
  for (const button of shape.buttons) {
    const value = values.buttonParameters?.[String(button.index)]?.trim();
    if (button.type === "URL" && button.hasUrlParam && !value) {
      problems.push({ field: `button.${button.index}`, code: "missing" });
    }
  }
  for (const key of Object.keys(values.buttonParameters ?? {})) {
    const button = shape.buttons.find((b) => String(b.index) === key);
    const takesValue = button && (button.type === "QUICK_REPLY" || (button.type === "URL" && button.hasUrlParam));
    if (!takesValue && values.buttonParameters?.[key]?.trim()) {
      problems.push({ field: `button.${key}`, code: "unexpected" });
    }
  }
  if (
    !problems.some((p) => p.field.startsWith("body.")) &&
    fillPlaceholders(shape.body.text, values.parameters).length > TEMPLATE_BODY_MAX_LENGTH
  ) {
    problems.push({ field: "body", code: "too_long" });
  }
  if (
    header?.format === "TEXT" &&
    fillPlaceholders(header.text, values.headerParameters).length > TEMPLATE_HEADER_TEXT_MAX_LENGTH
  ) {
    problems.push({ field: "header", code: "too_long" });
  }
  return problems;
}
