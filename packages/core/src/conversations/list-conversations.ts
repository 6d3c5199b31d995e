import type { ConversationDto, ConversationListQuery } from "@inbox/contracts";
import type { DbTx, Prisma } from "@inbox/db";
import { AppError } from "../errors/app-error";
import { decodeCursor, encodeCursor } from "../shared/cursors";
import { isUuid } from "../shared/ids";
import { accessibleConversationsWhere, type AccessUser } from "./can-access-conversation";
import { loadConversationDtos } from "./load-conversation-dtos";
import { excerptAround, numberMatch, phoneSearchDigits } from "./search-terms";

const NOTHING: Prisma.ConversationWhereInput = { id: { in: [] } };

/**
 * The inbox lists: only conversations the user may see, filtered (assignee me|none|<id>, team mine|<id>, channel,
 * label id or name, q over contact name, number in any notation, message and note text), newest activity first,
 * keyset-paged. Search results say where the term was found (`match`).
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
    const numbers = phoneSearchDigits(q);
    and.push({
      OR: [
        { contact: { displayName: contains } },
        { contact: { profileName: contains } },
        ...numbers.map((digits) => ({ contact: { waId: { contains: digits } } })),
        // Message and note text through its trigram index (pg_trgm), which needs at least 3 characters to narrow
        // anything; shorter terms search names only, instead of scanning every message.
        ...(q.length >= 3 ? [{ messages: { some: { text: contains } } }] : []),
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
  const byId = new Map(dtos.map((d) => [d.id, d]));
  const last = page.at(-1);
  const items = page.map((r) => byId.get(r.id)).filter((d): d is ConversationDto => d !== undefined);
  if (query.q) await attachSearchMatches(db, items, query.q);
  return {
    items,
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.lastMessageAt, last.id) : null,
  };
}

/** Escapes LIKE wildcards so a term is matched literally. */
const likeLiteral = (term: string) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Sets `match` on each search result: the name, the number, or the newest message or note containing the term. */
async function attachSearchMatches(db: DbTx, items: ConversationDto[], q: string): Promise<void> {
  const numbers = phoneSearchDigits(q);
  const needText: ConversationDto[] = [];
  for (const c of items) {
    const name = [c.contact.displayName, c.contact.profileName].find((n) => n && excerptAround(n, q));
    const byName = name ? excerptAround(name, q) : null;
    const byNumber = !byName && c.contact.waId ? numberMatch(c.contact.waId, numbers) : null;
    if (byName) c.match = { field: "name", ...byName };
    else if (byNumber) c.match = { field: "number", ...byNumber };
    else needText.push(c);
  }
  if (needText.length === 0 || q.length < 3) return;
  const rows = await db.$queryRaw<{ conversationId: string; text: string; isPrivate: boolean }[]>`
    SELECT DISTINCT ON ("conversationId") "conversationId", text, "isPrivate"
      FROM "Message"
     WHERE "conversationId" = ANY(${needText.map((c) => c.id)}::uuid[]) AND text ILIKE ${likeLiteral(q)}
     ORDER BY "conversationId", "createdAt" DESC`;
  const byConversation = new Map(rows.map((r) => [r.conversationId, r]));
  for (const c of needText) {
    const row = byConversation.get(c.id);
    const excerpt = row ? excerptAround(row.text, q) : null;
    if (row && excerpt) c.match = { field: row.isPrivate ? "note" : "message", ...excerpt };
  }
}
