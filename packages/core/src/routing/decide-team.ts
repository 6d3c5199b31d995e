import type { RoutingTestBody, RoutingTestResult } from "@inbox/contracts";
import { Prisma, runSqlOf, type DbTx, type RunSql } from "@inbox/db";
import { AppError } from "../errors/app-error";
import {
  customerLanguageOf,
  findMatchingRule,
  replyIdOf,
  type MatchableRule,
  type RoutingFacts,
} from "./match-routing-rules";
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

interface FactsRow {
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
}

/** The columns of FactsRow, for a statement over `"Conversation" c` joined with `"Contact" k` and the lateral `f`. */
const FACTS_COLUMNS = Prisma.sql`c."channelId", k."waId", k.locale, k."countryCode", k.email, k."profileName",
  k."displayName", ARRAY(SELECT cl."labelId"::text FROM "ContactLabel" cl WHERE cl."contactId" = k.id) AS "labelIds",
  f.text, f.payload, f.id IS NOT NULL AS "hasFirst"`;
/** The customer's first message of conversation `c`, as `f`. */
const FIRST_MESSAGE = Prisma.sql`LEFT JOIN LATERAL (SELECT m.id, m.text, m.payload FROM "Message" m
  WHERE m."conversationId" = c.id AND m.direction = 'inbound' ORDER BY m."createdAt" ASC LIMIT 1) f ON true`;

function factsOf(row: FactsRow): RoutingFacts {
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

/**
 * Routing facts of a stored conversation: its channel, contact (labels, attributes) and the customer's first message —
 * one statement (Prisma's nested reads would take four).
 */
export async function loadRoutingFacts(db: DbTx, conversationId: string): Promise<RoutingFacts | null> {
  const [row] = await db.$queryRaw<FactsRow[]>(Prisma.sql`
    SELECT ${FACTS_COLUMNS}
      FROM "Conversation" c
      JOIN "Contact" k ON k.id = c."contactId"
      ${FIRST_MESSAGE}
     WHERE c.id = ${conversationId}::uuid`);
  return row ? factsOf(row) : null;
}

/** Everything the route job reads about a new conversation. */
export interface RouteState {
  assigneeId: string | null;
  queuedAt: Date | null;
  /** When the router ran for it (null: never; see sweep-unrouted-conversations.ts). */
  routedAt: Date | null;
  status: string;
  teamId: string | null;
  facts: RoutingFacts;
  /** The channel's default team. */
  defaultTeamId: string | null;
  /** The routing rules, in order. */
  rules: MatchableRule[];
  /** The agent of the customer's latest other conversation that had one (a returning customer). */
  previousAssigneeId: string | null;
  /** Teams with a greeting or away text configured. */
  autoReplyTeamIds: string[];
}

/**
 * The route jobs' one read, for many conversations at once: each one's state and routing facts, its channel's default
 * team and the customer's previous agent, plus the rules and which teams send auto-replies (read once). Conversations
 * that do not exist are missing from the map.
 */
export async function loadRouteStates(
  db: DbTx | RunSql,
  conversationIds: readonly string[],
): Promise<Map<string, RouteState>> {
  const rows = await runSqlOf(db)<
    FactsRow & Omit<RouteState, "facts" | "rules"> & { id: string; rules: MatchableRule[] | null }
  >(Prisma.sql`
    SELECT c.id, ${FACTS_COLUMNS}, c."assigneeId", c."queuedAt", c."routedAt", c.status::text AS status, c."teamId",
           ch."defaultTeamId",
           (SELECT p."assigneeId" FROM "Conversation" p
             WHERE p."contactId" = c."contactId" AND p.id <> c.id AND p."assigneeId" IS NOT NULL
             ORDER BY p."createdAt" DESC LIMIT 1) AS "previousAssigneeId",
           (SELECT json_agg(json_build_object('isActive', r."isActive", 'conditions', r.conditions, 'teamId', r."teamId")
                            ORDER BY r.position, r."createdAt") FROM "RoutingRule" r) AS rules,
           ARRAY(SELECT t.id::text FROM "Team" t
                  WHERE t."greetingMessage" IS NOT NULL OR t."awayMessage" IS NOT NULL) AS "autoReplyTeamIds"
      FROM "Conversation" c
      JOIN "Contact" k ON k.id = c."contactId"
      JOIN "Channel" ch ON ch.id = c."channelId"
      ${FIRST_MESSAGE}
     WHERE c.id = ANY(${[...conversationIds]}::uuid[])`);
  return new Map(
    rows.map((row) => [
      row.id,
      {
        assigneeId: row.assigneeId,
        queuedAt: row.queuedAt,
        routedAt: row.routedAt,
        status: row.status,
        teamId: row.teamId,
        facts: factsOf(row),
        defaultTeamId: row.defaultTeamId,
        rules: row.rules ?? [],
        previousAssigneeId: row.previousAssigneeId,
        autoReplyTeamIds: row.autoReplyTeamIds,
      },
    ]),
  );
}
