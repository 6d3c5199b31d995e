import type { TemplateShape, TemplateValues } from "@inbox/contracts";
import type { Prisma, Template } from "@inbox/db";

/** Positional ("1", "2", …) parameters in order; named ones by name. */
export function orderedTemplateParameters(parameters: Record<string, string>): { name: string; value: string }[] {
  return Object.entries(parameters)
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => {
      const na = Number(a.name);
      const nb = Number(b.name);
      if (Number.isInteger(na) && Number.isInteger(nb)) return na - nb;
      return a.name.localeCompare(b.name);
    });
}

/** The template body with its parameters filled in, for the console's history (Meta renders its own copy). */
export function renderTemplateText(template: Template, parameters: Record<string, string>): string | null {
  const components: unknown[] = Array.isArray(template.components) ? template.components : [];
  const body = components.find(
    (c): c is Prisma.JsonObject =>
      !!c &&
      typeof c === "object" &&
      !Array.isArray(c) &&
      typeof (c as { type?: unknown }).type === "string" &&
      (c as { type: string }).type.toUpperCase() === "BODY",
  );
  if (!body || typeof body.text !== "string") return null;
  return body.text.replace(/\{\{\s*([\w]+)\s*\}\}/g, (whole, key: string) => parameters[key] ?? whole);
}

interface WireParameter {
  [key: string]: string | Record<string, string | number>;
  type: string;
}
/** One component of a template send in Meta's wire format (`template.components[]`). */
export interface WireTemplateComponent {
  [key: string]: string | WireParameter[];
  type: string;
  parameters: WireParameter[];
}

const MEDIA_KEY = { IMAGE: "image", VIDEO: "video", DOCUMENT: "document" } as const;

/**
 * The template's components as Meta expects them on send: header (text parameters, a location pin, or the media
 * object — a link, or an empty object an uploaded attachment's Meta id is put into right before the send), body
 * parameters in the template's placeholder order (named ones with `parameter_name`; text, or currency / date_time
 * with the variable's text as fallback_value), and one component per button that takes a value
 * (`sub_type` url with the link's suffix, quick_reply with its payload). Values were checked by checkTemplateValues.
 */
export function buildTemplateComponents(
  shape: TemplateShape,
  values: TemplateValues,
  media: { filename: string | null },
): WireTemplateComponent[] {
  const text = (name: string, value: string): WireParameter =>
    /^\d+$/.test(name) ? { type: "text", text: value } : { type: "text", parameter_name: name, text: value };
  // Currency and date_time variables carry their text as Meta's fallback_value (what the customer's phone shows).
  const bodyParameter = (name: string): WireParameter => {
    const value = values.parameters[name]?.trim() ?? "";
    const typed = values.typedParameters?.[name];
    if (!typed) return text(name, value);
    const parameter: WireParameter =
      typed.type === "currency"
        ? { type: "currency", currency: { fallback_value: value, code: typed.code, amount_1000: typed.amount1000 } }
        : { type: "date_time", date_time: { fallback_value: value } };
    return /^\d+$/.test(name) ? parameter : { ...parameter, parameter_name: name };
  };
  const components: WireTemplateComponent[] = [];
  const header = shape.header;
  if (header?.format === "TEXT" && header.params.length) {
    components.push({
      type: "header",
      parameters: header.params.map((name) => text(name, values.headerParameters?.[name]?.trim() ?? "")),
    });
  } else if (header?.format === "LOCATION" && values.headerLocation) {
    const { latitude, longitude, name, address } = values.headerLocation;
    components.push({
      type: "header",
      parameters: [
        {
          type: "location",
          location: {
            latitude: latitude.trim().replace(",", "."),
            longitude: longitude.trim().replace(",", "."),
            name: name.trim(),
            address: address.trim(),
          },
        },
      ],
    });
  } else if (header && header.format !== "TEXT" && header.format !== "LOCATION") {
    const key = MEDIA_KEY[header.format];
    const link = values.headerMedia?.mediaId ? undefined : values.headerMedia?.link;
    const filename = values.headerMedia?.filename || media.filename;
    const object: Record<string, string> = {
      ...(link ? { link } : {}),
      ...(key === "document" && filename ? { filename } : {}),
    };
    components.push({ type: "header", parameters: [{ type: key, [key]: object }] });
  }
  if (shape.body.params.length) {
    components.push({
      type: "body",
      parameters: shape.body.params.map(bodyParameter),
    });
  }
  for (const button of shape.buttons) {
    const value = values.buttonParameters?.[String(button.index)]?.trim();
    if (!value) continue;
    if (button.type === "URL" && button.hasUrlParam) {
      components.push({
        type: "button",
        sub_type: "url",
        index: String(button.index),
        parameters: [{ type: "text", text: value }],
      });
    } else if (button.type === "QUICK_REPLY") {
      components.push({
        type: "button",
        sub_type: "quick_reply",
        index: String(button.index),
        parameters: [{ type: "payload", payload: value }],
      });
    }
  }
  return components;
}
