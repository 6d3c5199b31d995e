import type { RoutingTestBody, RoutingTestResult } from "@inbox/contracts";
import type { DbTx } from "@inbox/db";
import { AppError } from "../errors/app-error";
import { customerLanguageOf, findMatchingRule, replyIdOf, type RoutingFacts } from "./match-routing-rules";
import { listRoutingRules, validateRoutingRules } from "./replace-routing-rules";

/** The team for the facts: the first matching rule's, else the channel's default team, else none. */
export async function decideTeam(
  db: DbTx,
  facts: RoutingFacts,
  rules?: RoutingTestBody["rules"],
): Promise<RoutingTestResult> {
  const list = rules ?? (await listRoutingRules(db));
  const index = findMatchingRule(list, facts);
  const rule = index >= 0 ? list[index]! : null;
  const teamId =
    rule?.teamId ??
    (await db.channel.findUnique({ where: { id: facts.channelId }, select: { defaultTeamId: true } }))?.defaultTeamId ??
    null;
  const team = teamId ? await db.team.findUnique({ where: { id: teamId }, select: { name: true } }) : null;
  return {
    teamId: team ? teamId : null,
    teamName: team?.name ?? null,
    ruleIndex: rule ? index : null,
    ruleName: rule?.name ?? null,
    reason: rule ? "rule" : team ? "channel_default" : "none",
  };
}

/** "Which team would get this?": a sample first message against the saved rules, or against a draft rule set. */
export async function testRouting(db: DbTx, input: RoutingTestBody): Promise<RoutingTestResult> {
  if (!(await db.channel.findUnique({ where: { id: input.channelId }, select: { id: true } }))) {
    throw new AppError("not_found", "Channel not found.");
  }
  if (input.rules) await validateRoutingRules(db, input.rules);
  return decideTeam(
    db,
    {
      channelId: input.channelId,
      language: input.language,
      text: input.text,
      replyId: input.replyId,
      labelIds: input.labelIds,
      contact: input.contact,
    },
    input.rules,
  );
}

/** Routing facts of a stored conversation: its channel, contact (labels, attributes) and the customer's first message. */
export async function loadRoutingFacts(db: DbTx, conversationId: string): Promise<RoutingFacts | null> {
  const conversation = await db.conversation.findUnique({
    where: { id: conversationId },
    select: {
      channelId: true,
      contact: {
        select: {
          waId: true,
          locale: true,
          countryCode: true,
          email: true,
          profileName: true,
          displayName: true,
          labels: { select: { labelId: true } },
        },
      },
      messages: {
        where: { direction: "inbound" },
        orderBy: { createdAt: "asc" },
        take: 1,
        select: { text: true, payload: true },
      },
    },
  });
  if (!conversation) return null;
  const { contact } = conversation;
  const first = conversation.messages[0];
  return {
    channelId: conversation.channelId,
    language: customerLanguageOf(contact),
    text: first?.text ?? null,
    replyId: first ? replyIdOf(first.payload) : null,
    labelIds: contact.labels.map((l) => l.labelId),
    contact: {
      countryCode: contact.countryCode,
      locale: contact.locale,
      email: contact.email,
      profileName: contact.profileName,
      displayName: contact.displayName,
    },
  };
}
