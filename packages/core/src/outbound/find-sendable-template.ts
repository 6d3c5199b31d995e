import type { DbTx, Template } from "@inbox/db";
import { AppError } from "../errors/app-error";

const APPROVED = "APPROVED";

/**
 * The synced template a send refers to: exact language first ("de"), else a regional variant ("de_DE").
 * Unknown → template_not_found; known but not approved by Meta → template_not_approved.
 */
export async function findSendableTemplate(
  db: DbTx,
  channelId: string,
  name: string,
  language: string,
): Promise<Template> {
  const candidates = await db.template.findMany({
    where: { channelId, name, OR: [{ language }, { language: { startsWith: `${language}_` } }] },
    orderBy: { language: "asc" },
  });
  const template = candidates.find((t) => t.language === language) ?? candidates[0];
  if (!template) {
    throw new AppError(
      "template_not_found",
      `No template "${name}" in language "${language}" is known for this channel. Sync templates or pick another one.`,
    );
  }
  if (template.status !== APPROVED) {
    throw new AppError(
      "template_not_approved",
      `Template "${name}" (${template.language}) is ${template.status.toLowerCase()} at Meta; only approved templates can be sent.`,
    );
  }
  return template;
}
