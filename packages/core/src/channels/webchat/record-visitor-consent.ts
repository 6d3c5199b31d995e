import type { Db, Prisma } from "@inbox/db";
import { recordConsent } from "../../consent/record-consent";
import { AppError } from "../../errors/app-error";
import type { WidgetLanguage } from "./webchat-consent-texts";
import { findShownConsentWording } from "./webchat-consent-texts";

export interface RecordVisitorConsentInput {
  channelId: string;
  visitorId: string;
  language: WidgetLanguage;
  /** The version the widget showed; it must be the current one (else 409 consent_text_changed). */
  wordingVersion: number;
  purposes: ("service" | "marketing")[];
  /** Where and how: the page's origin, the visitor's IP and browser, for the evidence record. */
  evidence: { origin: string; ip: string; userAgent: string | null; via: "webchat" | "click_to_chat" };
  now: Date;
}

/**
 * The visitor ticked the consent checkbox in the widget: the contact is created (keyed on the visitor id) and one
 * granted Consent per purpose is recorded (`recordConsent`) with the wording version and text shown, and the evidence.
 */
export async function recordVisitorConsent(
  db: Db,
  input: RecordVisitorConsentInput,
): Promise<{ contactId: string; consentIds: string[] }> {
  const wording = await findShownConsentWording(db, input.language, input.wordingVersion);
  return db.$transaction(async (tx) => {
    const contact = await tx.contact.upsert({
      where: { channelId_externalId: { channelId: input.channelId, externalId: input.visitorId } },
      create: {
        channelId: input.channelId,
        externalId: input.visitorId,
        locale: input.language,
        lastSeenAt: input.now,
      },
      update: { lastSeenAt: input.now },
      select: { id: true, erasedAt: true },
    });
    if (contact.erasedAt) throw new AppError("visitor_token_invalid", "This chat was deleted. Start a new chat.");
    const evidence: Prisma.InputJsonObject = {
      channel: input.evidence.via,
      origin: input.evidence.origin,
      ip: input.evidence.ip,
      userAgent: input.evidence.userAgent,
      language: input.language,
    };
    const consentIds = await recordConsent(tx, {
      contactId: contact.id,
      purposes: input.purposes,
      status: "granted",
      source: "widget",
      wording: { version: wording.version, text: wording.text },
      evidence,
      occurredAt: input.now,
    });
    return { contactId: contact.id, consentIds };
  });
}
