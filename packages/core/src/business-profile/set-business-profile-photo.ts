import { BUSINESS_PROFILE_LIMITS, PROFILE_PHOTO_MIME_TYPES, type BusinessProfileDto } from "@inbox/contracts";
import { recordAudit, type Actor } from "../audit/record-audit";
import { AppError } from "../errors/app-error";
import { sniffMimeType } from "../media/check-media";
import { getBusinessProfile, type BusinessProfileDeps } from "./get-business-profile";
import { findWhatsAppNumber, toProfileError } from "./whatsapp-number";

/**
 * A new profile photo: a JPEG or PNG (checked by its bytes, not its name) of at most 5 MB goes through Meta's
 * Resumable Upload API; its handle becomes the profile's `profile_picture_handle`.
 */
export async function setBusinessProfilePhoto(
  deps: BusinessProfileDeps,
  actor: Actor,
  channelId: string,
  file: { bytes: Buffer; filename: string },
): Promise<BusinessProfileDto> {
  const phoneNumberId = await findWhatsAppNumber(deps.db, channelId);
  if (file.bytes.length > BUSINESS_PROFILE_LIMITS.photoBytes)
    throw new AppError("payload_too_large", "The profile photo may be at most 5 MB.");
  const mimeType = sniffMimeType(file.bytes);
  if (!mimeType || !(PROFILE_PHOTO_MIME_TYPES as readonly string[]).includes(mimeType))
    throw new AppError("unsupported_media_type", "The profile photo must be a JPEG or PNG image.");
  try {
    const handle = await deps.graph.uploadResumable({ bytes: file.bytes, mimeType, filename: file.filename });
    await deps.graph.updateBusinessProfile(phoneNumberId, {
      messaging_product: "whatsapp",
      profile_picture_handle: handle,
    });
  } catch (error) {
    throw toProfileError(error);
  }
  await recordAudit(deps.db, actor, "channel.business_profile_updated", "channel", channelId, { fields: ["photo"] });
  return getBusinessProfile(deps, channelId);
}
