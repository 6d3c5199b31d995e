import type { BusinessProfileDto, BusinessProfileUpdate } from "@inbox/contracts";
import type { Db } from "@inbox/db";
import { isGraphApiError, type BusinessProfile, type GraphClient } from "@inbox/whatsapp";
import { recordAudit } from "../audit/record-audit";
import { AppError } from "../errors/app-error";

type ProfileGraph = Pick<GraphClient, "getBusinessProfile" | "updateBusinessProfile">;

async function whatsappChannel(db: Db, channelId: string) {
  const channel = await db.channel.findUnique({ where: { id: channelId } });
  if (!channel || channel.type !== "whatsapp") throw new AppError("not_found", "WhatsApp channel not found.");
  return channel;
}

function toDto(p: BusinessProfile): BusinessProfileDto {
  return {
    about: p.about ?? "",
    address: p.address ?? "",
    description: p.description ?? "",
    email: p.email ?? "",
    websites: p.websites ?? [],
    vertical: p.vertical ?? "UNDEFINED",
    profilePictureUrl: p.profile_picture_url || null,
  };
}

/** Meta's refusal as our error: its parameter errors are the admin's input, anything else is unavailable. */
function graphFailure(error: unknown): never {
  if (isGraphApiError(error)) {
    if (error.code === 100) throw new AppError("validation_failed", `WhatsApp refused a value: ${error.message}`);
    throw new AppError("unavailable", `WhatsApp did not answer as expected: ${error.message}`);
  }
  throw error;
}

/** The number's WhatsApp Business profile as Meta has it now. */
export async function getBusinessProfile(deps: { db: Db; graph: ProfileGraph }, channelId: string) {
  const channel = await whatsappChannel(deps.db, channelId);
  return toDto(await deps.graph.getBusinessProfile(channel.externalId).catch(graphFailure));
}

/** Changes the given profile fields at Meta (audited, without the values), then reads the profile back. */
export async function updateBusinessProfile(
  deps: { db: Db; graph: ProfileGraph },
  input: { channelId: string; changes: BusinessProfileUpdate; actor: { userId: string; ip?: string } },
): Promise<BusinessProfileDto> {
  const channel = await whatsappChannel(deps.db, input.channelId);
  await deps.graph.updateBusinessProfile(channel.externalId, input.changes).catch(graphFailure);
  await recordAudit(
    deps.db,
    { type: "user", userId: input.actor.userId, ...(input.actor.ip ? { ip: input.actor.ip } : {}) },
    "channel.business_profile_changed",
    "channel",
    channel.id,
    { fields: Object.keys(input.changes) },
  );
  return getBusinessProfile(deps, channel.id);
}
