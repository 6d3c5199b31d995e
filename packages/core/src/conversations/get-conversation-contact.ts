import type { ContactDetailsDto } from "@inbox/contracts";
import type { DbTx } from "@inbox/db";
import { isOptedOut, type ConsentState } from "../consent/consent-rules";
import { toConsentRecordDto } from "../consent/to-consent-record-dto";
import { AppError } from "../errors/app-error";
import { isUuid } from "../shared/ids";
import { accessibleConversationsWhere, assertConversationAccess, type AccessUser } from "./can-access-conversation";

/** The contact panel of a conversation (access checked like the conversation itself; past ones likewise). */
export async function getConversationContact(
  db: DbTx,
  user: AccessUser,
  conversationId: string,
): Promise<ContactDetailsDto> {
  if (!isUuid(conversationId)) throw new AppError("not_found", "Conversation not found.");
  await assertConversationAccess(db, user, conversationId);
  const conversation = await db.conversation.findUniqueOrThrow({
    where: { id: conversationId },
    include: {
      contact: {
        include: {
          consents: { orderBy: [{ occurredAt: "desc" }, { createdAt: "desc" }, { id: "desc" }], take: 50 },
          labels: { include: { label: true } },
          // Only the contact's conversations the user may open (others would leak another team's metadata).
          conversations: {
            where: accessibleConversationsWhere(user),
            orderBy: { createdAt: "desc" },
            take: 20,
            select: { id: true, status: true, createdAt: true, lastMessageAt: true },
          },
        },
      },
    },
  });
  const c = conversation.contact;
  // Newest first: the first record of each purpose is its current state.
  const current = new Map<string, ConsentState>();
  for (const x of c.consents) if (!current.has(x.purpose)) current.set(x.purpose, x);
  return {
    contact: {
      id: c.id,
      waId: c.waId,
      userId: c.userId,
      username: c.username,
      profileName: c.profileName,
      displayName: c.displayName,
      locale: c.locale,
      countryCode: c.countryCode,
    },
    consents: c.consents.map(toConsentRecordDto),
    isOptedOut: isOptedOut([...current.values()], conversation.lastInboundAt),
    labels: c.labels.map((l) => ({ id: l.label.id, name: l.label.name, color: l.label.color })),
    pastConversations: c.conversations
      .filter((x) => x.id !== conversationId)
      .map((x) => ({
        id: x.id,
        status: x.status,
        createdAt: x.createdAt.toISOString(),
        lastMessageAt: x.lastMessageAt.toISOString(),
      })),
  };
}
