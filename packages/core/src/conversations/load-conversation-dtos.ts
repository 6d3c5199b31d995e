import type { ConversationDto } from "@inbox/contracts";
import { Prisma, runSqlOf, type DbTx, type RunSql } from "@inbox/db";
import { windowExpiresAt } from "./window";

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

interface ConversationRow {
  id: string;
  status: ConversationDto["status"];
  assigneeId: string | null;
  teamId: string | null;
  unreadCount: number;
  lastMessageAt: Date;
  lastInboundAt: Date | null;
  snoozedUntil: Date | null;
  createdAt: Date;
  channel: ConversationDto["channel"];
  contact: ConversationDto["contact"];
  labels: ConversationDto["labels"];
  preview: string | null;
}

/**
 * Conversations as the console lists them (contact, channel, labels, preview of the last visible message), in one
 * statement: this runs after every burst of webhooks, and a relation-by-relation read costs a query per relation
 * (and per conversation for the preview). The statement is the database function `inbox_conversation_dtos`
 * (migration …_conversation_dtos_cached_plan): planned once per session instead of at every call. Rows come in no
 * particular order.
 */
export async function loadConversationDtos(db: DbTx | RunSql, ids: string[]): Promise<ConversationDto[]> {
  if (ids.length === 0) return [];
  const rows = await runSqlOf(db)<ConversationRow>(Prisma.sql`SELECT * FROM inbox_conversation_dtos(${ids}::uuid[])`);
  return rows.map((c) => ({
    id: c.id,
    status: c.status,
    channel: c.channel,
    contact: c.contact,
    assigneeId: c.assigneeId,
    teamId: c.teamId,
    labels: c.labels,
    unreadCount: c.unreadCount,
    lastMessageAt: c.lastMessageAt.toISOString(),
    lastInboundAt: iso(c.lastInboundAt),
    windowExpiresAt: iso(windowExpiresAt(c.lastInboundAt)),
    snoozedUntil: iso(c.snoozedUntil),
    lastMessagePreview: c.preview,
    createdAt: c.createdAt.toISOString(),
  }));
}
