import type { Db } from "@inbox/db";
import { isGraphApiError } from "@inbox/whatsapp";
import { AppError } from "../errors/app-error";
import { isUuid } from "../shared/ids";

/** The phone number id of a WhatsApp channel, or not_found. */
export async function findWhatsAppNumber(db: Db, channelId: string): Promise<string> {
  const channel = isUuid(channelId)
    ? await db.channel.findUnique({ where: { id: channelId }, select: { type: true, externalId: true } })
    : null;
  if (!channel || channel.type !== "whatsapp") throw new AppError("not_found", "No WhatsApp channel with this id.");
  return channel.externalId;
}

/**
 * Meta's refusal as the inbox's error: an invalid parameter (code 100) is the admin's input (validation_failed, with
 * Meta's reason); anything else means WhatsApp could not be reached or would not do it now (unavailable).
 */
export function toProfileError(error: unknown): unknown {
  if (!isGraphApiError(error)) return error;
  if (error.code === 100) {
    return new AppError("validation_failed", `WhatsApp refused the profile: ${error.details ?? error.message}`, {
      graphCode: error.code,
    });
  }
  return new AppError(
    "unavailable",
    `WhatsApp did not answer as expected (${error.code ?? error.httpStatus ?? "network"}); try again later.`,
    { graphCode: error.code ?? null },
  );
}
