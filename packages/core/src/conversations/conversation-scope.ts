import type { Prisma } from "@inbox/db";
import type { AccessUser } from "./can-access-conversation";

/** canAccessConversation as a Prisma filter (the same rule, applied in the query). */
export function accessibleConversationsWhere(user: AccessUser): Prisma.ConversationWhereInput {
  if (user.role === "admin") return {};
  const or: Prisma.ConversationWhereInput[] = [{ assigneeId: user.id }];
  if (user.teamIds.length) or.push({ teamId: { in: user.teamIds } });
  if (user.role === "lead" && user.seesTeamlessConversations === true) or.push({ teamId: null });
  return { OR: or };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);

/** Keyset cursors: opaque base64url of the sort key of the last item. */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString("base64url");
}

export function decodeCursor(cursor: string): { at: Date; id: string } | null {
  const [iso, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  if (!iso || !id || !isUuid(id)) return null;
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? null : { at, id };
}
