import type { BusinessHours, LocalizedText } from "@inbox/contracts";
import { pgSql, Prisma, prismaSql, sqlTimestamp } from "@inbox/db";
import { isAppError } from "../errors/app-error";
import { queueOutboundMessage, type QueueOutboundMessageDeps } from "../outbound/queue-outbound-message";
import { isWithinBusinessHours, localTimeOf } from "./business-hours";
import { chooseReplyLanguage, pickReplyText, type ReplyLanguage } from "../consent/reply-language";

export type AutoReplyKind = "greeting" | "away";

/**
 * Greeting and away text of the conversation's team, sent by the product (senderId null) as ordinary outbound
 * messages through queueOutboundMessage, so the send rules apply: never to an opted-out customer, only inside the
 * 24 h window (refusals are skipped, not errors). The away text goes when nobody in the team can take the
 * conversation (everyone away, offline or absent) or outside business hours. Each is sent once per conversation and
 * period: the client id carries the conversation and the team's local date, so repeats are the same message.
 */
export async function sendAutoReplies(
  deps: QueueOutboundMessageDeps & { defaultLanguage?: ReplyLanguage | undefined },
  conversationId: string,
): Promise<AutoReplyKind[]> {
  const run = deps.pgPool ? pgSql(deps.pgPool) : prismaSql(deps.db);
  const now = deps.clock?.() ?? new Date();
  // One statement: the conversation, its team's texts and hours, the customer, their latest message and — when the
  // conversation waits unassigned — how many of the team could take it now.
  const [conversation] = await run<{
    assigneeId: string | null;
    status: string;
    awayMessage: unknown;
    greetingMessage: unknown;
    businessHours: unknown;
    locale: string | null;
    countryCode: string | null;
    waId: string | null;
    messageText: string | null;
    able: number | null;
  }>(Prisma.sql`
    SELECT c."assigneeId", c.status::text AS status, t."awayMessage", t."greetingMessage", t."businessHours",
           k.locale, k."countryCode", k."waId",
           (SELECT m.text FROM "Message" m WHERE m."conversationId" = c.id AND m.direction = 'inbound'
             ORDER BY m."createdAt" DESC LIMIT 1) AS "messageText",
           CASE WHEN c."assigneeId" IS NULL THEN
             (SELECT count(*)::int FROM "User" u JOIN "TeamMembership" tm ON tm."userId" = u.id AND tm."teamId" = t.id
               WHERE u."isActive" AND u.availability = 'available'
                 AND NOT EXISTS (SELECT 1 FROM "Absence" a WHERE a."userId" = u.id AND a."startsAt" <= ${sqlTimestamp(now)}
                                   AND (a."endsAt" IS NULL OR a."endsAt" > ${sqlTimestamp(now)})))
           END AS able
      FROM "Conversation" c
      JOIN "Team" t ON t.id = c."teamId"
      JOIN "Contact" k ON k.id = c."contactId"
     WHERE c.id = ${conversationId}::uuid`);
  if (!conversation || conversation.status === "resolved") return [];
  const hours = (conversation.businessHours as BusinessHours | null) ?? null;
  // One language: the customer's message's, else their locale or number's country, else the configured default.
  const language = chooseReplyLanguage(conversation, deps.defaultLanguage ?? "en");
  const defaultLanguage = deps.defaultLanguage ?? "en";
  // The team's text in that language, else in the default language; none set: nothing is sent.
  const textOf = (texts: unknown) => pickReplyText(texts as LocalizedText | null, language, defaultLanguage);
  const period = localTimeOf(now, hours?.timeZone ?? "Europe/Berlin").date;
  const wanted: { kind: AutoReplyKind; text: string | null }[] = [
    { kind: "greeting", text: textOf(conversation.greetingMessage) },
  ];
  if (!conversation.assigneeId) {
    const isOpen = isWithinBusinessHours(hours, now);
    if (!isOpen || !conversation.able) {
      wanted.push({ kind: "away", text: textOf(conversation.awayMessage) });
    }
  }
  const sent: AutoReplyKind[] = [];
  for (const { kind, text } of wanted) {
    if (!text) continue;
    try {
      await queueOutboundMessage(deps, {
        conversationId,
        senderId: null,
        body: { type: "text", text, clientId: `${kind}-${conversationId}-${period}` },
      });
      sent.push(kind);
    } catch (error) {
      if (isAppError(error) && (error.code === "opted_out" || error.code === "window_closed")) continue;
      throw error;
    }
  }
  return sent;
}
