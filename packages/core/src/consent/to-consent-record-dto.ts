import type { ConsentRecordDto } from "@inbox/contracts";
import type { Consent } from "@inbox/db";

/** A consent record as the contact panel shows it. */
export function toConsentRecordDto(
  x: Pick<Consent, "purpose" | "status" | "source" | "wordingVersion" | "wordingText" | "evidence" | "occurredAt">,
): ConsentRecordDto {
  return {
    purpose: x.purpose,
    status: x.status,
    source: x.source,
    wordingVersion: x.wordingVersion,
    wordingText: x.wordingText,
    evidence: (x.evidence ?? {}) as Record<string, unknown>,
    occurredAt: x.occurredAt.toISOString(),
  };
}
