import type { ConversationDto, ConversationListQuery } from "@inbox/contracts";
import type { DbTx, Prisma } from "@inbox/db";
import { AppError } from "../errors/app-error";
import { loadConversationDtos } from "../realtime/live-dtos";
import type { AccessUser } from "./can-access-conversation";
import { accessibleConversationsWhere, decodeCursor, encodeCursor, isUuid } from "./conversation-scope";
import { phoneSearchDigits } from "./phone-search";

const NOTHING: Prisma.ConversationWhereInput = { id: { in: [] } };

/**
 * The inbox lists: only conversations the user may see, filtered (assignee me|none|<id>, team mine|<id>, channel,
 * label id or name, q over contact name/number and message text), newest activity first, keyset-paged.
 */
export async function listConversations(
  db: DbTx,
  user: AccessUser,
  query: ConversationListQuery,
): Promise<{ items: ConversationDto[]; nextCursor: string | null }> {
  const and: Prisma.ConversationWhereInput[] = [accessibleConversationsWhere(user)];
  if (query.status !== "all") and.push({ status: query.status });
  if (query.assignee) {
    if (query.assignee === "me") and.push({ assigneeId: user.id });
    else if (query.assignee === "none") and.push({ assigneeId: null });
    else and.push(isUuid(query.assignee) ? { assigneeId: query.assignee } : NOTHING);
  }
  if (query.team) {
    if (query.team === "mine") and.push({ teamId: { in: user.teamIds } });
    else if (query.team === "none") and.push({ teamId: null });
    else and.push(isUuid(query.team) ? { teamId: query.team } : NOTHING);
  }
  if (query.channel) and.push(isUuid(query.channel) ? { channelId: query.channel } : NOTHING);
  if (query.label) {
    and.push({ labels: { some: isUuid(query.label) ? { labelId: query.label } : { label: { name: query.label } } } });
  }
  if (query.q) {
    const q = query.q;
    const contains = { contains: q, mode: "insensitive" as const };
    and.push({
      OR: [
        { contact: { displayName: contains } },
        { contact: { profileName: contains } },
        ...phoneSearchDigits(q).map((digits) => ({ contact: { waId: { contains: digits } } })),
        // Customer messages, replies and agents' private notes alike.
        { messages: { some: { text: contains } } },
      ],
    });
  }
  if (query.cursor) {
    const c = decodeCursor(query.cursor);
    if (!c) throw new AppError("bad_request", "Invalid cursor.");
    and.push({ OR: [{ lastMessageAt: { lt: c.at } }, { lastMessageAt: c.at, id: { lt: c.id } }] });
  }
  const rows = await db.conversation.findMany({
    where: { AND: and },
    orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
    select: { id: true, lastMessageAt: true },
  });
  const page = rows.slice(0, query.limit);
  const dtos = await loadConversationDtos(
    db,
    page.map((r) => r.id),
  );
  const matches = query.q
    ? await findSearchMatches(
        db,
        page.map((r) => r.id),
        query.q,
      )
    : new Map<string, string>();
  const byId = new Map(dtos.map((d) => [d.id, matches.has(d.id) ? { ...d, searchMatch: matches.get(d.id)! } : d]));
  const last = page.at(-1);
  return {
    items: page.map((r) => byId.get(r.id)).filter((d): d is ConversationDto => d !== undefined),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.lastMessageAt, last.id) : null,
  };
}

/** The newest message or note text per conversation that contains the search term, for the list to show. */
async function findSearchMatches(db: DbTx, conversationIds: string[], q: string): Promise<Map<string, string>> {
  if (conversationIds.length === 0) return new Map();
  const rows = await db.message.findMany({
    where: { conversationId: { in: conversationIds }, text: { contains: q, mode: "insensitive" } },
    orderBy: [{ conversationId: "asc" }, { createdAt: "desc" }],
    distinct: ["conversationId"],
    select: { conversationId: true, text: true },
  });
  return new Map(rows.map((r) => [r.conversationId, excerptAround(r.text ?? "", q)]));
}

/** Up to ~120 characters around the first match, with "…" where text was cut. */
export function excerptAround(text: string, q: string, width = 120): string {
  const at = text.toLowerCase().indexOf(q.toLowerCase());
  if (at === -1 || text.length <= width) return text.slice(0, width);
  const start = Math.max(0, Math.min(at - Math.floor((width - q.length) / 2), text.length - width));
  return `${start > 0 ? "…" : ""}${text.slice(start, start + width)}${start + width < text.length ? "…" : ""}`;
}
