import { randomUUID } from "node:crypto";
import type { WebchatLanguage, WebchatSessionDto } from "@inbox/contracts";
import type { Db } from "@inbox/db";
import { findCurrentConsents } from "../../consent/current-consents";
import type { WebchatSettings } from "../webchat-channel";
import type { VisitorTokenSigner } from "./visitor-token";
import { listVisitorMessages } from "./visitor-messages";
import { findConsentWording } from "./webchat-consent-texts";

export interface StartWebchatSessionInput {
  channel: { id: string; name: string; settings: WebchatSettings };
  /** A token from an earlier visit (verified: a forged or expired one is refused, never silently replaced). */
  token?: string | undefined;
  language: WebchatLanguage;
  now: Date;
}

/**
 * A visitor opens the widget: a new visitor gets a fresh random id, a returning one (valid token of this channel)
 * gets their thread back. Either way the token is renewed. Nothing is stored until the visitor consents.
 */
export async function startWebchatSession(
  deps: { db: Db; signer: VisitorTokenSigner },
  input: StartWebchatSessionInput,
): Promise<WebchatSessionDto> {
  const { db, signer } = deps;
  const visitorId = input.token ? signer.verify(input.token, input.channel.id, input.now).visitorId : randomUUID();
  const contact = input.token
    ? await db.contact.findUnique({
        where: { channelId_externalId: { channelId: input.channel.id, externalId: visitorId } },
        select: { id: true, erasedAt: true },
      })
    : null;
  const isKnown = !!contact && !contact.erasedAt;
  const consents = isKnown ? await findCurrentConsents(db, contact.id) : [];
  const { token, expiresAt } = signer.sign({ channelId: input.channel.id, visitorId }, input.now);
  const settings = input.channel.settings;
  return {
    token,
    expiresAt: expiresAt.toISOString(),
    appearance: {
      name: input.channel.name,
      colors: settings.colors,
      greeting: settings.greeting[input.language],
      privacyUrl: settings.privacyUrl ?? null,
      hasWhatsApp: !!settings.whatsappChannelId,
    },
    consent: {
      hasConsent: consents.some((c) => c.purpose === "service" && c.status === "granted"),
      wording: await findConsentWording(db, input.language),
    },
    messages: isKnown ? await listVisitorMessages(db, contact.id) : [],
  };
}
