import type { Db } from "@inbox/db";
import { isGraphApiError, type GraphClient } from "@inbox/whatsapp";
import { recordAudit, type Actor } from "../audit/record-audit";
import { AppError } from "../errors/app-error";

export interface RegisterWhatsAppNumberInput {
  phoneNumberId: string;
  /** Two-step verification PIN of the number (6 digits). */
  pin: string;
  /** Local-storage region, e.g. "DE"; data at rest then stays in that region at Meta (Graph v21+ flow). */
  region: string;
}

export interface RegisterWhatsAppNumberResult {
  storageChanged: boolean;
  region: string;
}

/**
 * Data residency for a WhatsApp number: enables Meta's local storage in the region (only possible while the number
 * is unregistered, Graph v21+), then registers the number. Idempotent when storage is already set to the region.
 */
export async function registerWhatsAppNumber(
  deps: { db: Db; graph: GraphClient },
  input: RegisterWhatsAppNumberInput,
  actor: Actor,
): Promise<RegisterWhatsAppNumberResult> {
  if (!/^\d{6}$/.test(input.pin))
    throw new AppError("validation_failed", "The PIN must be the number's 6-digit two-step verification PIN.");
  const region = input.region.toUpperCase();
  const channel = await deps.db.channel.findUnique({
    where: { type_externalId: { type: "whatsapp", externalId: input.phoneNumberId } },
  });
  if (!channel) throw new AppError("not_found", `No WhatsApp channel with phone number id ${input.phoneNumberId}.`);

  const settings = await deps.graph.getSettings(input.phoneNumberId);
  const current = settings.storage_configuration;
  const isAlreadySet = current?.status === "IN_COUNTRY_STORAGE_ENABLED" && current.data_localization_region === region;
  if (!isAlreadySet) {
    try {
      await deps.graph.updateSettings(input.phoneNumberId, {
        storage_configuration: { status: "IN_COUNTRY_STORAGE_ENABLED", data_localization_region: region as "DE" },
      });
    } catch (error) {
      if (isGraphApiError(error)) {
        throw new AppError(
          "conflict",
          `Meta refused to enable local storage in ${region} (${error.code}: ${error.details ?? error.message}). ` +
            "Local storage can only be changed while the number is unregistered: deregister it first.",
        );
      }
      throw error;
    }
  }
  try {
    await deps.graph.register(input.phoneNumberId, { messaging_product: "whatsapp", pin: input.pin });
  } catch (error) {
    if (isGraphApiError(error)) {
      throw new AppError(
        "conflict",
        `Meta refused to register the number (${error.code}: ${error.details ?? error.message}).`,
      );
    }
    throw error;
  }
  await deps.db.$transaction(async (tx) => {
    await tx.channel.update({ where: { id: channel.id }, data: { dataRegion: region } });
    await recordAudit(tx, actor, "channel.registered", "channel", channel.id, {
      region,
      storageChanged: !isAlreadySet,
    });
  });
  return { storageChanged: !isAlreadySet, region };
}
