import { randomBytes } from "node:crypto";
import type { Db, Prisma } from "@inbox/db";
import { AppError } from "../../errors/app-error";
import type { WebchatSettings } from "../webchat-channel";
import { clickToChatUrl, findWhatsAppNumber } from "./click-to-chat";
import { findShownConsentWording, type WidgetLanguage } from "./webchat-consent-texts";

/** A handoff waits this long for the customer's first WhatsApp message. */
const HANDOFF_TTL_MS = 24 * 3600 * 1000;

/** Crockford base32 without I, L, O, U: readable, and no letters a customer would mistype. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** `WC-` and 8 symbols (40 random bits): what the prefilled text carries and the inbound hook looks for. */
export const HANDOFF_REFERENCE_PATTERN = /\bWC-([0-9A-HJKMNP-TV-Z]{8})\b/;

function newReference(): string {
  const bytes = randomBytes(8);
  let out = "WC-";
  for (let i = 0; i < 8; i++) out += ALPHABET[bytes[i]! % 32];
  return out;
}

const PREFILLED: Record<WidgetLanguage, (reference: string) => string> = {
  de: (reference) => `Hallo! Ich möchte den Chat von der Website fortsetzen. (Referenz: ${reference})`,
  en: (reference) => `Hello! I would like to continue the chat from the website. (Reference: ${reference})`,
};

export interface StartWhatsAppHandoffInput {
  channel: { id: string; settings: WebchatSettings };
  visitorId: string;
  language: WidgetLanguage;
  wordingVersion: number;
  purposes: ("service" | "marketing")[];
  evidence: { origin: string; ip: string; userAgent: string | null };
  now: Date;
}

/**
 * "Continue on WhatsApp": the visitor read the privacy notice and ticked the consent in the widget. The consent is
 * kept with its wording and evidence until the customer's first WhatsApp message carrying the reference arrives
 * (`linkWhatsAppHandoffs`), which then records it on their WhatsApp contact. Returns the wa.me link to open.
 */
export async function startWhatsAppHandoff(
  db: Db,
  input: StartWhatsAppHandoffInput,
): Promise<{ reference: string; url: string }> {
  const whatsappChannelId = input.channel.settings.whatsappChannelId;
  if (!whatsappChannelId) throw new AppError("not_found", "This chat does not offer WhatsApp.");
  const number = await findWhatsAppNumber(db, whatsappChannelId);
  const wording = await findShownConsentWording(db, input.language, input.wordingVersion);
  const webContact = await db.contact.findUnique({
    where: { channelId_externalId: { channelId: input.channel.id, externalId: input.visitorId } },
    select: { id: true },
  });
  const reference = newReference();
  await db.whatsAppHandoff.create({
    data: {
      reference,
      webchatChannelId: input.channel.id,
      whatsappChannelId,
      webContactId: webContact?.id ?? null,
      purposes: input.purposes,
      wordingVersion: wording.version,
      wordingText: wording.text,
      evidence: {
        channel: "click_to_chat",
        origin: input.evidence.origin,
        ip: input.evidence.ip,
        userAgent: input.evidence.userAgent,
        language: input.language,
      } satisfies Prisma.InputJsonObject,
      expiresAt: new Date(input.now.getTime() + HANDOFF_TTL_MS),
    },
  });
  return { reference, url: clickToChatUrl(number, PREFILLED[input.language](reference)) };
}
