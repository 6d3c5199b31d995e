/** Media (upload, download URLs) and the number's registration and local-storage settings. */
import { createHash, randomBytes } from "node:crypto";
import type { StorageConfiguration } from "@inbox/whatsapp";
import { graphVersionMajor, randomDigits } from "./customers";
import type { SimulatorState } from "./types";

export function storeMedia(sim: SimulatorState, bytes: Buffer, mimeType: string): string {
  const id = randomDigits(16);
  sim.media.set(id, {
    bytes,
    mimeType,
    sha256: createHash("sha256").update(bytes).digest("base64"),
    createdAt: sim.now(),
  });
  return id;
}

/** A URL valid for 5 minutes, like Meta's. */
export function mediaUrl(sim: SimulatorState, mediaId: string, baseUrl: string): string {
  const token = randomBytes(16).toString("hex");
  sim.mediaUrlTokens.set(token, { mediaId, expiresAt: sim.now() + 5 * 60_000 });
  return `${baseUrl}/_media/${token}`;
}

export function register(sim: SimulatorState, pin: string, dataLocalizationRegion: string | undefined): void {
  const now = sim.now();
  sim.registerAttempts = sim.registerAttempts.filter((t) => now - t < 3600_000);
  if (sim.registerAttempts.length >= 10) throw sim.error(133016);
  sim.registerAttempts.push(now);
  if (!/^\d{6}$/.test(pin)) throw sim.error(100, "pin must be 6 digits");
  if (dataLocalizationRegion && graphVersionMajor(sim.options) >= 21)
    throw sim.error(100, "(#12) Deprecated for versions v21.0 or higher");
  sim.isRegistered = true;
}

export function deregister(sim: SimulatorState): void {
  sim.registerAttempts.push(sim.now());
  sim.isRegistered = false;
}

export function updateStorage(sim: SimulatorState, config: StorageConfiguration): void {
  if (sim.isRegistered) {
    throw sim.error(
      100,
      "Local storage can only be changed while the phone number is not registered. Deregister it, change the setting, then register again.",
    );
  }
  if (config.status === "IN_COUNTRY_STORAGE_ENABLED" && !config.data_localization_region) {
    throw sim.error(131008, "data_localization_region is required to enable local storage.");
  }
  sim.storage = config.status === "IN_COUNTRY_STORAGE_ENABLED" ? config : { status: "IN_COUNTRY_STORAGE_DISABLED" };
}
