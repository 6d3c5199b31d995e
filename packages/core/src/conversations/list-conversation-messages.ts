import type { MessageDto } from "@inbox/contracts";
import type { DbTx, Prisma } from "@inbox/db";
import { AppError } from "../errors/app-error";
import { toMessageDto } from "../messages/to-message-dto";
import { decodeCursor, encodeCursor } from "../shared/cursors";
import { assertConversationAccess, type AccessUser } from "./can-access-conversation";

/** A conversation's history, newest first, keyset-paged (the console loads older pages on scroll-up). */
export async function listConversationMessages(
  db: DbTx,
  user: AccessUser,
  input: { conversationId: string; limit: number; cursor?: string | undefined },
): Promise<{ items: MessageDto[]; nextCursor: string | null }> {
  await assertConversationAccess(db, user, input.conversationId);
  const and: Prisma.MessageWhereInput[] = [{ conversationId: input.conversationId }];
  if (input.cursor) {
    const c = decodeCursor(input.cursor);
    if (!c) throw new AppError("bad_request", "Invalid cursor.");
    and.push({ OR: [{ createdAt: { lt: c.at } }, { createdAt: c.at, id: { lt: c.id } }] });
  }
  const rows = await db.message.findMany({
    where: { AND: and },
    include: { media: true },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map(toMessageDto),
    nextCursor: rows.length > input.limit && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}
