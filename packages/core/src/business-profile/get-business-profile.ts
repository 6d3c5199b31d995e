import type { BusinessProfileDto } from "@inbox/contracts";
import type { Db } from "@inbox/db";
import type { GraphClient } from "@inbox/whatsapp";
import { findWhatsAppNumber, toProfileError } from "./whatsapp-number";

export interface BusinessProfileDeps {
  db: Db;
  graph: GraphClient;
}

/** The channel's WhatsApp business profile as Meta has it now (not stored here: Meta's copy is the truth). */
export async function getBusinessProfile(deps: BusinessProfileDeps, channelId: string): Promise<BusinessProfileDto> {
  const phoneNumberId = await findWhatsAppNumber(deps.db, channelId);
  try {
    const profile = await deps.graph.getBusinessProfile(phoneNumberId);
    return {
      about: profile.about ?? "",
      address: profile.address ?? "",
      description: profile.description ?? "",
      email: profile.email ?? "",
      websites: profile.websites ?? [],
      vertical: profile.vertical ?? "",
      hasPhoto: Boolean(profile.profile_picture_url),
    };
  } catch (error) {
    throw toProfileError(error);
  }
}
