import type { DbTx } from "@inbox/db";
import { AppError } from "../../errors/app-error";

/** WhatsApp's click-to-chat link: `https://wa.me/<number in international format, digits only>?text=…`. */
export function clickToChatUrl(displayNumber: string, text?: string): string {
  const digits = displayNumber.replace(/\D/g, "").replace(/^00/, "");
  if (digits.length < 6) throw new AppError("validation_failed", "The WhatsApp number has no usable phone number.");
  return `https://wa.me/${digits}${text ? `?text=${encodeURIComponent(text)}` : ""}`;
}

/** The number a WhatsApp channel can be reached at; 404/409 when the channel is unknown or has none. */
export async function findWhatsAppNumber(db: DbTx, channelId: string): Promise<string> {
  const channel = await db.channel.findUnique({
    where: { id: channelId },
    select: { type: true, displayNumber: true },
  });
  if (!channel || channel.type !== "whatsapp") throw new AppError("not_found", "No such WhatsApp channel.");
  if (!channel.displayNumber) {
    throw new AppError("conflict", "The WhatsApp channel has no display number; set it before offering links.");
  }
  return channel.displayNumber;
}
