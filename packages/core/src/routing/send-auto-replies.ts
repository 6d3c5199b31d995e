import type { BusinessHours, LocalizedText } from "@inbox/contracts";
import { sqlTimestamp } from "@inbox/db";
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
  const { db } = deps;
  const now = deps.clock?.() ?? new Date();
  const conversation = await db.conversation.findUnique({
    where: { id: conversationId },
    select: {
      assigneeId: true,
      status: true,
      team: { select: { id: true, awayMessage: true, greetingMessage: true, businessHours: true } },
      contact: { select: { locale: true, countryCode: true, waId: true } },
      messages: {
        where: { direction: "inbound" },
        orderBy: { createdAt: "desc" },
        take: 1,
        select: { text: true },
      },
    },
  });
  if (!conversation?.team || conversation.status === "resolved") return [];
  const { team } = conversation;
  const hours = (team.businessHours as BusinessHours | null) ?? null;
  // One language: the customer's message's, else their locale or number's country, else the configured default.
  const language = chooseReplyLanguage(
    { ...conversation.contact, messageText: conversation.messages[0]?.text ?? null },
    deps.defaultLanguage ?? "en",
  );
  const defaultLanguage = deps.defaultLanguage ?? "en";
  // The team's text in that language, else in the default language; none set: nothing is sent.
  const textOf = (texts: unknown) => pickReplyText(texts as LocalizedText | null, language, defaultLanguage);
  const period = localTimeOf(now, hours?.timeZone ?? "Europe/Berlin").date;
  const wanted: { kind: AutoReplyKind; text: string | null }[] = [
    { kind: "greeting", text: textOf(team.greetingMessage) },
  ];
  if (!conversation.assigneeId) {
    const isOpen = isWithinBusinessHours(hours, now);
    const [{ able } = { able: 0 }] = await db.$queryRaw<{ able: number }[]>`
      SELECT count(*)::int AS able FROM "User" u JOIN "TeamMembership" m ON m."userId" = u.id AND m."teamId" = ${team.id}::uuid
       WHERE u."isActive" AND u.availability = 'available'
         AND NOT EXISTS (SELECT 1 FROM "Absence" a WHERE a."userId" = u.id AND a."startsAt" <= ${sqlTimestamp(now)}
                           AND (a."endsAt" IS NULL OR a."endsAt" > ${sqlTimestamp(now)}))`;
    if (!isOpen || able === 0) {
      wanted.push({ kind: "away", text: textOf(team.awayMessage) });
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
