/**
 * What a WhatsApp message template asks for when it is sent, read from the components Meta returns for it
 * (`GET /{waba-id}/message_templates`), and the checks and rendering that follow from it. Shared by the server
 * (checks before queuing, the send body) and the console (the form and its preview), so both agree on every rule.
 * Zod-free: the console imports it (`@inbox/contracts/template-structure`) without the schemas.
 *
 * Meta's components: HEADER (format TEXT with at most one variable, or IMAGE / VIDEO / DOCUMENT / LOCATION),
 * BODY (variables positional `{{1}}` or named `{{first_name}}`, `parameter_format` POSITIONAL | NAMED), FOOTER
 * (static), BUTTONS (QUICK_REPLY with an optional payload, URL with an optional `{{1}}` suffix variable,
 * PHONE_NUMBER, COPY_CODE, OTP …). At send time every variable needs a value; a media header needs the file.
 */

export type HeaderFormat = "TEXT" | "IMAGE" | "VIDEO" | "DOCUMENT" | "LOCATION";
export const MEDIA_HEADER_FORMATS = ["IMAGE", "VIDEO", "DOCUMENT"] as const;
export type MediaHeaderFormat = (typeof MEDIA_HEADER_FORMATS)[number];

export interface TemplateButtonSpec {
  /** Position among the template's buttons (Meta's `index` at send time). */
  index: number;
  /** QUICK_REPLY | URL | PHONE_NUMBER | COPY_CODE | OTP | FLOW … */
  type: string;
  text: string;
  url: string | null;
  /** A URL button whose address ends in `{{1}}`: the suffix is a value of each send. */
  hasUrlVariable: boolean;
}

export interface TemplateStructure {
  header: { format: HeaderFormat; text: string | null; variable: string | null } | null;
  body: { text: string; variables: string[]; isNamed: boolean };
  footer: string | null;
  buttons: TemplateButtonSpec[];
}

/** Values an agent fills in: body variables by position ("1", "2", …) or name, the header, button values. */
export interface TemplateSendValues {
  parameters: Record<string, string>;
  header?: { text?: string; mediaId?: string; link?: string; filename?: string } | undefined;
  buttons?: { index: number; text?: string; payload?: string }[] | undefined;
}

export type TemplateProblemKind =
  "missing" | "unexpected" | "too_long" | "invalid_characters" | "media_missing" | "invalid_link";

/** One thing wrong with the values; `field` is `body.<variable>`, `header` or `buttons.<index>`. */
export interface TemplateProblem {
  field: string;
  kind: TemplateProblemKind;
  limit?: number;
}

/** Meta's limits: header text 60, body 1024 characters with its values, button URL 2000, payload 1000. */
export const TEMPLATE_LIMITS = { headerText: 60, body: 1024, urlSuffix: 2000, payload: 1000 } as const;

const VARIABLE = /\{\{\s*(\w+)\s*\}\}/g;

function variablesOf(text: string | null | undefined): string[] {
  if (!text) return [];
  return [...new Set([...text.matchAll(VARIABLE)].map((m) => m[1]!))];
}

const record = (v: unknown): Record<string, unknown> =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const upper = (v: unknown): string => (typeof v === "string" ? v.toUpperCase() : "");

/** Reads Meta's component list (any case) into what a send needs. Unknown components are ignored. */
export function readTemplateStructure(components: readonly unknown[]): TemplateStructure {
  const find = (type: string) => components.map(record).find((c) => upper(c.type) === type);
  const header = find("HEADER");
  const body = find("BODY");
  const footer = find("FOOTER");
  const buttons = find("BUTTONS");
  const bodyText = str(body?.text) ?? "";
  const bodyVariables = variablesOf(bodyText);
  const headerFormat = (upper(header?.format) || "TEXT") as HeaderFormat;
  const headerText = str(header?.text);
  return {
    header: header
      ? {
          format: headerFormat,
          text: headerText,
          variable: headerFormat === "TEXT" ? (variablesOf(headerText)[0] ?? null) : null,
        }
      : null,
    body: { text: bodyText, variables: bodyVariables, isNamed: bodyVariables.some((v) => !/^\d+$/.test(v)) },
    footer: str(footer?.text),
    buttons: (Array.isArray(buttons?.buttons) ? buttons.buttons : []).map((raw, index) => {
      const b = record(raw);
      const url = str(b.url);
      return {
        index,
        type: upper(b.type),
        text: str(b.text) ?? "",
        url,
        hasUrlVariable: upper(b.type) === "URL" && variablesOf(url).length > 0,
      };
    }),
  };
}

export function isMediaHeader(format: HeaderFormat | undefined): format is MediaHeaderFormat {
  return (MEDIA_HEADER_FORMATS as readonly string[]).includes(format ?? "");
}

/** Meta refuses variable values with a line break or tab, or with more than four spaces in a row. */
export function hasInvalidVariableCharacters(value: string): boolean {
  return /[\n\r\t]| {5,}/.test(value);
}

/**
 * Every problem of the values against the template, in form order (header, body, buttons); empty when the send
 * may go. The same rules Meta applies (132000 for a missing or extra value), checked before anything is queued.
 */
export function checkTemplateValues(structure: TemplateStructure, values: TemplateSendValues): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const { header, body, buttons } = structure;
  const h = values.header;
  if (header?.format === "TEXT" && header.variable) {
    const text = h?.text?.trim() ?? "";
    if (!text) problems.push({ field: "header", kind: "missing" });
    else if (hasInvalidVariableCharacters(text)) problems.push({ field: "header", kind: "invalid_characters" });
    else if (renderText(header.text ?? "", { [header.variable]: text }).length > TEMPLATE_LIMITS.headerText)
      problems.push({ field: "header", kind: "too_long", limit: TEMPLATE_LIMITS.headerText });
  } else if (header && isMediaHeader(header.format)) {
    if (!h?.mediaId && !h?.link) problems.push({ field: "header", kind: "media_missing" });
    else if (h.link && !/^https:\/\/\S+$/i.test(h.link)) problems.push({ field: "header", kind: "invalid_link" });
  } else if (h && (h.text || h.mediaId || h.link)) {
    problems.push({ field: "header", kind: "unexpected" });
  }

  for (const variable of body.variables) {
    const value = values.parameters[variable]?.trim() ?? "";
    if (!value) problems.push({ field: `body.${variable}`, kind: "missing" });
    else if (hasInvalidVariableCharacters(value))
      problems.push({ field: `body.${variable}`, kind: "invalid_characters" });
  }
  for (const key of Object.keys(values.parameters)) {
    if (!body.variables.includes(key)) problems.push({ field: `body.${key}`, kind: "unexpected" });
  }
  if (
    !problems.some((p) => p.field.startsWith("body.")) &&
    renderText(body.text, values.parameters).length > TEMPLATE_LIMITS.body
  )
    problems.push({ field: "body", kind: "too_long", limit: TEMPLATE_LIMITS.body });

  const given = new Map((values.buttons ?? []).map((b) => [b.index, b]));
  for (const button of buttons) {
    const value = given.get(button.index);
    given.delete(button.index);
    if (button.hasUrlVariable) {
      const suffix = value?.text?.trim() ?? "";
      if (!suffix) problems.push({ field: `buttons.${button.index}`, kind: "missing" });
      else if (suffix.length > TEMPLATE_LIMITS.urlSuffix || /\s/.test(suffix))
        problems.push({
          field: `buttons.${button.index}`,
          kind: suffix.length > TEMPLATE_LIMITS.urlSuffix ? "too_long" : "invalid_characters",
          limit: TEMPLATE_LIMITS.urlSuffix,
        });
    } else if (button.type === "QUICK_REPLY") {
      if (value?.text) problems.push({ field: `buttons.${button.index}`, kind: "unexpected" });
      if ((value?.payload?.length ?? 0) > TEMPLATE_LIMITS.payload)
        problems.push({ field: `buttons.${button.index}`, kind: "too_long", limit: TEMPLATE_LIMITS.payload });
    } else if (value?.text || value?.payload) {
      problems.push({ field: `buttons.${button.index}`, kind: "unexpected" });
    }
  }
  for (const index of given.keys()) problems.push({ field: `buttons.${index}`, kind: "unexpected" });
  return problems;
}

/** `{{x}}` replaced by its value; a variable without a value stays visible as `{{x}}`. */
export function renderText(text: string, values: Record<string, string | undefined>): string {
  return text.replace(VARIABLE, (whole, key: string) => values[key]?.trim() || whole);
}

/** The message as the customer will see it: header, body, footer and button labels (URL buttons with their address). */
export function renderTemplate(
  structure: TemplateStructure,
  values: TemplateSendValues,
): { header: string | null; body: string; footer: string | null; buttons: { text: string; url: string | null }[] } {
  const header = structure.header;
  const headerText =
    header?.format === "TEXT" && header.text
      ? renderText(header.text, header.variable ? { [header.variable]: values.header?.text } : {})
      : null;
  return {
    header: headerText,
    body: renderText(structure.body.text, values.parameters),
    footer: structure.footer,
    buttons: structure.buttons.map((b) => ({
      text: b.text,
      url: b.url ? renderText(b.url, { 1: values.buttons?.find((x) => x.index === b.index)?.text }) : null,
    })),
  };
}
