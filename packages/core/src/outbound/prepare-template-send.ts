import {
  checkTemplateValues,
  isMediaHeader,
  readTemplateStructure,
  renderTemplate,
  type SendMessageBody,
  type TemplateStructure,
} from "@inbox/contracts";
import type { Template } from "@inbox/db";
import { AppError } from "../errors/app-error";

type TemplateInput = Extract<SendMessageBody, { type: "template" }>["template"];

/**
 * A template send as stored in the message's payload: everything the Graph body needs, fixed at queue time, so
 * the worker builds the request without the template (which a later sync may change).
 */
export interface StoredTemplateSend {
  name: string;
  language: string;
  /** Body values by position ("1", …) or name; named ones go out with `parameter_name`. */
  parameters: Record<string, string>;
  header?:
    | { type: "text"; text: string; parameterName?: string }
    | {
        type: "image" | "video" | "document";
        /** Our MediaAsset (uploaded by the agent); `id` is Meta's media id once the worker uploaded it. */
        mediaAssetId?: string;
        id?: string;
        link?: string;
        filename?: string;
      };
  buttons?: { index: number; subType: "url" | "quick_reply"; text?: string; payload?: string }[];
}

/**
 * Checks an agent's values against the template (the same rules the console's form applies and Meta enforces with
 * 132000) and returns what to store: the send spec and the text the console shows in the history. A value that
 * does not fit → 400 `template_parameters_invalid` with every problem, so nothing reaches Meta to be refused there.
 */
export function prepareTemplateSend(
  template: Pick<Template, "name" | "language" | "components">,
  input: TemplateInput,
): { stored: StoredTemplateSend; text: string; structure: TemplateStructure } {
  const structure = readTemplateStructure(Array.isArray(template.components) ? template.components : []);
  const values = { parameters: input.parameters, header: input.header, buttons: input.buttons };
  const problems = checkTemplateValues(structure, values);
  if (problems.length) {
    throw new AppError(
      "template_parameters_invalid",
      `The values do not fit template "${template.name}": ${problems.map((p) => `${p.field} ${p.kind}`).join(", ")}.`,
      { problems },
    );
  }
  const parameters = Object.fromEntries(structure.body.variables.map((v) => [v, input.parameters[v]!.trim()]));
  const stored: StoredTemplateSend = { name: template.name, language: template.language, parameters };
  const header = structure.header;
  if (header?.format === "TEXT" && header.variable) {
    stored.header = {
      type: "text",
      text: input.header!.text!.trim(),
      ...(/^\d+$/.test(header.variable) ? {} : { parameterName: header.variable }),
    };
  } else if (header && isMediaHeader(header.format)) {
    const h = input.header!;
    stored.header = {
      type: header.format.toLowerCase() as "image" | "video" | "document",
      ...(h.mediaId ? { mediaAssetId: h.mediaId } : { link: h.link! }),
      ...(header.format === "DOCUMENT" && h.filename ? { filename: h.filename } : {}),
    };
  }
  const buttons: NonNullable<StoredTemplateSend["buttons"]> = [];
  for (const button of structure.buttons) {
    const value = input.buttons?.find((b) => b.index === button.index);
    if (button.hasUrlVariable) buttons.push({ index: button.index, subType: "url", text: value!.text!.trim() });
    else if (button.type === "QUICK_REPLY" && value?.payload)
      buttons.push({ index: button.index, subType: "quick_reply", payload: value.payload });
  }
  if (buttons.length) stored.buttons = buttons;

  const rendered = renderTemplate(structure, values);
  const text = [rendered.header, rendered.body, rendered.footer].filter(Boolean).join("\n\n");
  return { stored, text, structure };
}

/** The media asset a template's header refers to, if the agent uploaded one. */
export function templateHeaderAssetId(payload: unknown): string | undefined {
  const template = (payload as { template?: StoredTemplateSend } | null)?.template;
  return template?.header && template.header.type !== "text" ? template.header.mediaAssetId : undefined;
}
