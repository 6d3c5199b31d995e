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
