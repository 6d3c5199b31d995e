/**
 * Meta's checks of a template send against the approved template, as the Cloud API applies them: every variable
 * of the header, body and URL buttons needs exactly one value (132000 "Number of parameters does not match the
 * expected number of params"), a NAMED template needs values by `parameter_name` for exactly its names, a value of
 * the wrong kind is 132012 ("Parameter format does not match"), an empty text 131008, a media header needs one
 * media object with an id the number uploaded or a link (131009 for an unknown id), the body with its values may
 * not exceed 1024 characters (132005). Written apart from the product's own checks on purpose: the simulator plays
 * Meta, so a product bug shows up here as Meta would report it.
 */
import type { MessageTemplate, TemplateComponentParameters, TemplateParameter } from "@inbox/whatsapp";

export interface TemplateCheckFailure {
  code: number;
  details: string;
}

const placeholdersOf = (text: string | undefined): string[] => [
  ...new Set([...(text ?? "").matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!)),
];

/** The rendered text a customer sees: header, body, footer, filled with the values in send order or by name. */
export function renderTemplateSend(template: MessageTemplate, components: TemplateComponentParameters[]): string {
  const fill = (text: string | undefined, params: TemplateParameter[]) => {
    const names = placeholdersOf(text);
    return (text ?? "").replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => {
      const byName = params.find((p) => p.parameter_name === key);
      const value = byName ?? params[names.indexOf(key)];
      return value?.text ?? value?.payload ?? whole;
    });
  };
  const sent = (type: string) => components.find((c) => c.type.toLowerCase() === type)?.parameters ?? [];
  const header = template.components.find((c) => c.type.toUpperCase() === "HEADER");
  const body = template.components.find((c) => c.type.toUpperCase() === "BODY");
  const footer = template.components.find((c) => c.type.toUpperCase() === "FOOTER");
  const headerFormat = header?.format?.toUpperCase();
  const headerLine =
    header && (!headerFormat || headerFormat === "TEXT")
      ? fill(header.text, sent("header"))
      : header
        ? `[${headerFormat?.toLowerCase()}]`
        : "";
  return [headerLine, fill(body?.text, sent("body")), footer?.text ?? ""].filter(Boolean).join("\n");
}

/** The first rule the send breaks, or undefined when Meta would accept it. */
export function checkTemplateSend(
  template: MessageTemplate,
  components: TemplateComponentParameters[],
  hasMedia: (id: string) => boolean,
): TemplateCheckFailure | undefined {
  const isNamed = String(template.parameter_format ?? "").toUpperCase() === "NAMED";
  const of = (type: string) => components.filter((c) => c.type.toLowerCase() === type);
  const mismatch = (where: string, given: number, expected: number): TemplateCheckFailure => ({
    code: 132000,
    details: `${where}: number of localizable_params (${given}) does not match the expected number of params (${expected})`,
  });
  const checkText = (where: string, text: string | undefined, params: TemplateParameter[]) => {
    const expected = placeholdersOf(text);
    if (params.length !== expected.length) return mismatch(where, params.length, expected.length);
    if (params.some((p) => p.type !== "text" && p.type !== "currency" && p.type !== "date_time"))
      return { code: 132012, details: `${where}: parameter format does not match format in the created template` };
    if (params.some((p) => p.type === "text" && !p.text))
      return { code: 131008, details: `${where}: parameter text is missing` };
    if (isNamed) {
      const names = params.map((p) => p.parameter_name ?? "");
      if (names.some((n) => !expected.includes(n)) || new Set(names).size !== names.length)
        return mismatch(`${where} (named)`, params.length, expected.length);
    }
    return undefined;
  };

  const header = template.components.find((c) => c.type.toUpperCase() === "HEADER");
  const body = template.components.find((c) => c.type.toUpperCase() === "BODY");
  const buttons = template.components.find((c) => c.type.toUpperCase() === "BUTTONS")?.buttons ?? [];
  if (of("header").length > 1 || of("body").length > 1) return { code: 100, details: "duplicate component" };

  const headerParams = of("header")[0]?.parameters ?? [];
  const headerFormat = header?.format?.toUpperCase() ?? (header ? "TEXT" : undefined);
  if (headerFormat === "IMAGE" || headerFormat === "VIDEO" || headerFormat === "DOCUMENT") {
    const kind = headerFormat.toLowerCase() as "image" | "video" | "document";
    if (headerParams.length !== 1) return mismatch("header", headerParams.length, 1);
    const param = headerParams[0]!;
    if (param.type !== kind) return { code: 132012, details: `header: expected ${kind}` };
    const media = param[kind];
    if (!media) return { code: 131008, details: `header: ${kind} object is missing` };
    if (media.id && !hasMedia(media.id)) return { code: 131009, details: "header: invalid media id" };
  } else if (headerFormat === "TEXT" || !header) {
    const failure = checkText("header", header?.text, headerParams);
    if (failure) return failure;
  }

  const bodyParams = of("body")[0]?.parameters ?? [];
  const bodyFailure = checkText("body", body?.text, bodyParams);
  if (bodyFailure) return bodyFailure;

  const buttonComponents = of("button");
  const seen = new Set<number>();
  for (const component of buttonComponents) {
    const index = Number(component.index);
    const button = buttons[index];
    const subType = String(component.sub_type ?? "").toLowerCase();
    if (!button || !Number.isInteger(index) || seen.has(index))
      return { code: 131009, details: `button at index ${String(component.index)} does not exist` };
    seen.add(index);
    const params = component.parameters ?? [];
    if (subType === "url") {
      if (button.type.toUpperCase() !== "URL") return { code: 132012, details: `button ${index} is not a URL button` };
      const expected = placeholdersOf(button.url).length;
      if (params.length !== expected) return mismatch(`button ${index}`, params.length, expected);
      if (params.some((p) => p.type !== "text" || !p.text))
        return { code: 131008, details: `button ${index}: text missing` };
    } else if (subType === "quick_reply") {
      if (button.type.toUpperCase() !== "QUICK_REPLY")
        return { code: 132012, details: `button ${index} is not a quick reply button` };
      if (params.length !== 1 || params[0]!.type !== "payload")
        return { code: 132012, details: `button ${index}: quick reply takes one payload` };
    } else if (subType !== "copy_code" && subType !== "flow" && subType !== "catalog") {
      return { code: 100, details: `unknown button sub_type ${subType}` };
    }
  }
  // A URL button with a variable in its address needs its value.
  const missing = buttons.findIndex(
    (b, i) => b.type.toUpperCase() === "URL" && placeholdersOf(b.url).length > 0 && !seen.has(i),
  );
  if (missing !== -1) return mismatch(`button ${missing}`, 0, 1);

  if (renderTemplateSend({ ...template, components: body ? [body] : [] }, components).length > 1024)
    return { code: 132005, details: "translated text too long" };
  return undefined;
}
