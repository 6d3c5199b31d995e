import type { ConversationDto } from "@inbox/contracts";
import type { DbTx } from "@inbox/db";
import { AppError } from "../errors/app-error";
import { isUuid } from "../shared/ids";
import { canAccessConversation, type AccessUser } from "./can-access-conversation";
import { loadConversationDtos } from "./load-conversation-dtos";

/** One conversation as the console shows it: not_found when there is none, forbidden when it is not the user's. */
export async function getConversation(db: DbTx, user: AccessUser, conversationId: string): Promise<ConversationDto> {
  const [dto] = isUuid(conversationId) ? await loadConversationDtos(db, [conversationId]) : [];
  if (!dto) throw new AppError("not_found", "Conversation not found.");
  if (!canAccessConversation(user, dto))
    throw new AppError("forbidden", "You do not have access to this conversation.");
  return dto;
}
