import type { RoutingRuleDto, RoutingRuleInput } from "@inbox/contracts";
import type { Db, DbTx } from "@inbox/db";
import { AppError } from "../errors/app-error";
import { recordAudit, type Actor } from "../audit/record-audit";
import { compileRoutingPattern } from "./match-routing-rules";

export async function listRoutingRules(db: DbTx): Promise<RoutingRuleDto[]> {
  const rows = await db.routingRule.findMany({ orderBy: [{ position: "asc" }, { createdAt: "asc" }] });
  return rows.map((r) => ({
    id: r.id,
    position: r.position,
    name: r.name,
    isActive: r.isActive,
    teamId: r.teamId,
    conditions: r.conditions as RoutingRuleDto["conditions"],
  }));
}

function refuse(index: number, field: string, message: string): never {
  throw new AppError("routing_rule_invalid", `Rule ${index + 1}: ${message}`, { index, field });
}

/**
 * Refuses a rule set that cannot work: a rule without conditions (it would swallow everything: that is the channel's
 * default team), a pattern that does not compile, or a team, channel or label that does not exist.
 */
export async function validateRoutingRules(db: DbTx, rules: readonly RoutingRuleInput[]): Promise<void> {
  const ids = (pick: (r: RoutingRuleInput) => readonly string[] | undefined) => [
    ...new Set(rules.flatMap((r) => pick(r) ?? [])),
  ];
  const [teams, channels, labels] = await Promise.all([
    db.team.findMany({ where: { id: { in: ids((r) => [r.teamId]) } }, select: { id: true } }),
    db.channel.findMany({ where: { id: { in: ids((r) => r.conditions.channelIds) } }, select: { id: true } }),
    db.label.findMany({ where: { id: { in: ids((r) => r.conditions.labelIds) } }, select: { id: true } }),
  ]);
  const known = new Set([...teams, ...channels, ...labels].map((x) => x.id));
  rules.forEach((rule, index) => {
    const c = rule.conditions;
    if (!Object.values(c).some((v) => v !== undefined)) {
      refuse(index, "conditions", "a rule needs at least one condition (use the channel's default team for the rest).");
    }
    if (!known.has(rule.teamId)) refuse(index, "teamId", "the team does not exist.");
    for (const id of c.channelIds ?? [])
      if (!known.has(id)) refuse(index, "channelIds", `channel ${id} does not exist.`);
    for (const id of c.labelIds ?? []) if (!known.has(id)) refuse(index, "labelIds", `label ${id} does not exist.`);
    if (c.pattern !== undefined) {
      try {
        compileRoutingPattern(c.pattern);
      } catch (error) {
        refuse(index, "pattern", `the pattern is not a valid regular expression (${(error as Error).message}).`);
      }
    }
  });
}

/** Replaces the whole ordered rule list (first match wins) in one transaction, with an audit entry. */
export async function replaceRoutingRules(
  db: Db,
  actor: Actor,
  rules: readonly RoutingRuleInput[],
): Promise<RoutingRuleDto[]> {
  return db.$transaction(async (tx) => {
    await validateRoutingRules(tx, rules);
    await tx.routingRule.deleteMany({});
    await tx.routingRule.createMany({
      data: rules.map((r, position) => ({
        position,
        name: r.name,
        isActive: r.isActive,
        teamId: r.teamId,
        conditions: r.conditions,
      })),
    });
    await recordAudit(tx, actor, "routing_rules.replaced", "routing_rules", null, { count: rules.length });
    return listRoutingRules(tx);
  });
}
