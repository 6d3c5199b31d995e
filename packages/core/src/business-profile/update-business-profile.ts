import type { BusinessProfileDto, UpdateBusinessProfileBody } from "@inbox/contracts";
import { recordAudit, type Actor } from "../audit/record-audit";
import { getBusinessProfile, type BusinessProfileDeps } from "./get-business-profile";
import { findWhatsAppNumber, toProfileError } from "./whatsapp-number";

/** Changes the named fields of the channel's business profile at Meta; answers the profile as it is afterwards. */
export async function updateBusinessProfile(
  deps: BusinessProfileDeps,
  actor: Actor,
  channelId: string,
  input: UpdateBusinessProfileBody,
): Promise<BusinessProfileDto> {
  const phoneNumberId = await findWhatsAppNumber(deps.db, channelId);
  try {
    await deps.graph.updateBusinessProfile(phoneNumberId, { messaging_product: "whatsapp", ...input });
  } catch (error) {
    throw toProfileError(error);
  }
  // Which fields changed, not their values (the audit log keeps no content).
  await recordAudit(deps.db, actor, "channel.business_profile_updated", "channel", channelId, {
    fields: Object.keys(input),
  });
  return getBusinessProfile(deps, channelId);
}
