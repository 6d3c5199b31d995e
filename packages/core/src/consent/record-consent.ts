import type { DbTx, Prisma } from "@inbox/db";
import type { ConsentPurpose } from "./consent-rules";

/** Where a consent record comes from (the `ConsentSource` enum of the schema). */
type ConsentSource = "chat_keyword" | "web_form" | "widget" | "agent" | "import" | "whatsapp" | "api";

export interface RecordConsentInput {
  contactId: string;
  /** One record per purpose, all at the same instant (an opt-out keyword withdraws service and marketing). */
  purposes: ConsentPurpose[];
  status: "granted" | "withdrawn";
  source: ConsentSource;
  /** What proves it (message id and text, webhook payload, Meta's error, the agent's reason); never logged. */
  evidence: Prisma.InputJsonObject;
  /** When the customer gave or withdrew it (Meta's timestamp for WhatsApp events), not when it was stored. */
  occurredAt: Date;
  /** The user who entered it (agent entries). */
  recordedById?: string | null;
  /** Record the admin-configured wording (the active ConsentText of each purpose) the customer agreed to. */
  withActiveWording?: boolean;
  /** The wording the customer was shown, when the caller knows it (the web chat widget's consent text). */
  wording?: { version: number; text: string } | null;
}

/**
 * THE way a consent is recorded — chat keywords, WhatsApp's own marketing stop (`user_preferences`), Meta's error
 * 131050 at send time, an agent's entry and the web chat widget (in the chat or before "continue on WhatsApp") all
 * come through here. Appends to the consent log in the caller's
 * transaction (the log is never updated: the newest record per purpose is the current state, read by
 * `currentConsentsSql`). Returns the ids of the records, in the order of `purposes`.
 */
export async function recordConsent(tx: DbTx, input: RecordConsentInput): Promise<string[]> {
  const ids: string[] = [];
  for (const purpose of [...new Set(input.purposes)]) {
    const wording =
      input.wording ??
      (input.withActiveWording && input.status === "granted"
        ? await tx.consentText.findFirst({ where: { purpose, isActive: true }, orderBy: [{ version: "desc" }] })
        : null);
    const record = await tx.consent.create({
      data: {
        contactId: input.contactId,
        purpose,
        status: input.status,
        source: input.source,
        wordingVersion: wording?.version ?? null,
        wordingText: wording?.text ?? null,
        evidence: input.evidence,
        recordedById: input.recordedById ?? null,
        occurredAt: input.occurredAt,
      },
      select: { id: true },
    });
    ids.push(record.id);
  }
  return ids;
}
