import type { ConsentRecordDto, RecordConsentBody } from "@inbox/contracts";
import type { Db } from "@inbox/db";
import { recordAudit } from "../audit/record-audit";
import { assertConversationAccess, type AccessUser } from "../conversations/can-access-conversation";
import { isUuid } from "../shared/ids";
import { AppError } from "../errors/app-error";
import { recordConsent } from "./record-consent";
import { toConsentRecordDto } from "./to-consent-record-dto";

export interface RecordAgentConsentInput extends RecordConsentBody {
  conversationId: string;
  ip?: string | undefined;
  now?: Date | undefined;
}

/**
 * An agent enters a consent the customer gave or withdrew outside the chat (by phone, by letter, in the shop) for
 * the contact of a conversation they may access. Recorded like every other consent (`recordConsent`, source
 * `agent`, the agent as `recordedById`, their reason as evidence) and audited in the same transaction; the audit
 * entry names purpose and status, not the reason (free text about a customer).
 */
export async function recordAgentConsent(
  db: Db,
  user: AccessUser,
  input: RecordAgentConsentInput,
): Promise<ConsentRecordDto> {
  if (!isUuid(input.conversationId)) throw new AppError("not_found", "Conversation not found.");
  return db.$transaction(async (tx) => {
    await assertConversationAccess(tx, user, input.conversationId);
    const { contactId } = await tx.conversation.findUniqueOrThrow({
      where: { id: input.conversationId },
      select: { contactId: true },
    });
    const [id] = await recordConsent(tx, {
      contactId,
      purposes: [input.purpose],
      status: input.status,
      source: "agent",
      evidence: { reason: input.reason, conversationId: input.conversationId },
      occurredAt: input.now ?? new Date(),
      recordedById: user.id,
    });
    await recordAudit(tx, { type: "user", userId: user.id, ip: input.ip }, "consent.recorded", "contact", contactId, {
      consentId: id!,
      purpose: input.purpose,
      status: input.status,
      conversationId: input.conversationId,
    });
    return toConsentRecordDto(await tx.consent.findUniqueOrThrow({ where: { id: id! } }));
  });
}
