import { sqlTimestamp, type Db } from "@inbox/db";

/**
 * The visitor has the chat open and saw the agents' messages: every outbound message of their conversations not
 * yet read becomes `read` (monotonic: failed and already read ones stay). Returns the ids changed, for live events.
 */
export async function markWebchatRead(
  db: Db,
  input: { channelId: string; visitorId: string; now: Date },
): Promise<{ messageIds: string[] }> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE "Message" m SET status = 'read', "readAt" = ${sqlTimestamp(input.now)}, "statusAt" = ${sqlTimestamp(input.now)},
           "deliveredAt" = COALESCE(m."deliveredAt", ${sqlTimestamp(input.now)}), "updatedAt" = ${sqlTimestamp(input.now)}
      FROM "Conversation" c JOIN "Contact" ct ON ct.id = c."contactId"
     WHERE m."conversationId" = c.id AND ct."channelId" = ${input.channelId}::uuid
       AND ct."externalId" = ${input.visitorId} AND m.direction = 'outbound' AND NOT m."isPrivate"
       AND m.status IN ('sent', 'delivered')
    RETURNING m.id`;
  return { messageIds: rows.map((r) => r.id) };
}
