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

/**
 * Routing facts of a stored conversation: its channel, contact (labels, attributes) and the customer's first message —
 * one statement (the route job runs once per new conversation; Prisma's nested reads would take four).
 */
export async function loadRoutingFacts(db: DbTx, conversationId: string): Promise<RoutingFacts | null> {
  const [row] = await db.$queryRaw<
    {
      channelId: string;
      waId: string | null;
      locale: string | null;
      countryCode: string | null;
      email: string | null;
      profileName: string | null;
      displayName: string | null;
      labelIds: string[];
      text: string | null;
      payload: unknown;
      hasFirst: boolean;
    }[]
  >`
    SELECT c."channelId", k."waId", k.locale, k."countryCode", k.email, k."profileName", k."displayName",
           ARRAY(SELECT cl."labelId"::text FROM "ContactLabel" cl WHERE cl."contactId" = k.id) AS "labelIds",
           f.text, f.payload, f.id IS NOT NULL AS "hasFirst"
      FROM "Conversation" c
      JOIN "Contact" k ON k.id = c."contactId"
      LEFT JOIN LATERAL (SELECT m.id, m.text, m.payload FROM "Message" m
                          WHERE m."conversationId" = c.id AND m.direction = 'inbound'
                          ORDER BY m."createdAt" ASC LIMIT 1) f ON true
     WHERE c.id = ${conversationId}::uuid`;
  if (!row) return null;
  return {
    channelId: row.channelId,
    language: customerLanguageOf(row),
    text: row.hasFirst ? row.text : null,
    replyId: row.hasFirst ? replyIdOf(row.payload) : null,
    labelIds: row.labelIds,
    contact: {
      countryCode: row.countryCode,
      locale: row.locale,
      email: row.email,
      profileName: row.profileName,
      displayName: row.displayName,
    },
  };
}
