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

/** What an agent filled in for a template send; keys as the placeholders read ("1", "first_name"). */
export interface TemplateValues {
  parameters: Record<string, string>;
  headerParameters?: Record<string, string> | undefined;
  /** Header media: an uploaded attachment (our id) or a public https link. */
  headerMedia?: { mediaId?: string | undefined; link?: string | undefined; filename?: string | undefined } | undefined;
  /** Per button index: the URL suffix of a dynamic URL button, or a quick-reply payload. */
  buttonParameters?: Record<string, string> | undefined;
}

export type TemplateProblemCode =
  "missing" | "unexpected" | "format" | "too_long" | "media_required" | "media_not_expected" | "invalid_link";

export interface TemplateProblem {
  /** body.<name> | header.<name> | header.media | button.<index> | body */
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
 * https, a dynamic URL button without its value, and a body longer than Meta's 1024 characters once filled in.
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
