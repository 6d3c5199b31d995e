import type { PutRetentionPoliciesBody, RetentionPoliciesDto } from "@inbox/contracts";
import type { Db } from "@inbox/db";
import { recordAudit, type Actor } from "../audit/record-audit";
import { AppError } from "../errors/app-error";
import { findEffectivePolicies, listRetentionPolicies } from "./list-retention-policies";
import { RETENTION_RULES } from "./retention-rules";

/**
 * Replaces the configured policies with `body.policies` (a category left out falls back to its default). A period
 * below the category's documented minimum needs `confirm: true`; the audit log records before, after and the
 * confirmation.
 */
export async function saveRetentionPolicies(
  db: Db,
  actor: Actor,
  body: PutRetentionPoliciesBody,
): Promise<RetentionPoliciesDto> {
  const seen = new Set<string>();
  for (const p of body.policies) {
    const rule = RETENTION_RULES[p.category];
    if (p.channelId && !rule.perChannel) {
      throw new AppError("validation_failed", `Policies for ${p.category} apply to every channel; omit channelId.`);
    }
    if (p.labelId && !rule.perLabel) {
      throw new AppError("validation_failed", `Only message policies can be limited to a label (${p.category}).`);
    }
    const key = `${p.category}|${p.channelId ?? ""}|${p.labelId ?? ""}`;
    if (seen.has(key)) throw new AppError("validation_failed", `Two policies for the same scope (${p.category}).`);
    seen.add(key);
  }
  const channelIds = [...new Set(body.policies.flatMap((p) => (p.channelId ? [p.channelId] : [])))];
  const labelIds = [...new Set(body.policies.flatMap((p) => (p.labelId ? [p.labelId] : [])))];
  const [channels, labels] = await Promise.all([
    db.channel.count({ where: { id: { in: channelIds } } }),
    db.label.count({ where: { id: { in: labelIds } } }),
  ]);
  if (channels !== channelIds.length) throw new AppError("validation_failed", "A policy names an unknown channel.");
  if (labels !== labelIds.length) throw new AppError("validation_failed", "A policy names an unknown label.");

  const below = body.policies
    .filter((p) => p.days < RETENTION_RULES[p.category].minimumDays)
    .map((p) => ({ category: p.category, days: p.days, minimumDays: RETENTION_RULES[p.category].minimumDays }));
  if (below.length > 0 && body.confirm !== true) {
    throw new AppError(
      "confirmation_required",
      `Below the documented minimum: ${below.map((b) => `${b.category} ${b.days} < ${b.minimumDays} days`).join(", ")}. Send "confirm": true to save anyway.`,
      { below },
    );
  }

  await db.$transaction(async (tx) => {
    const before = await findEffectivePolicies(tx);
    await tx.retentionPolicy.deleteMany({});
    await tx.retentionPolicy.createMany({
      data: body.policies.map((p) => ({
        category: p.category,
        retentionDays: p.days,
        channelId: p.channelId ?? null,
        labelId: p.labelId ?? null,
      })),
    });
    const summary = (list: { category: string; days: number; channelId: string | null; labelId: string | null }[]) =>
      list.map((p) => ({ category: p.category, days: p.days, channelId: p.channelId, labelId: p.labelId }));
    await recordAudit(tx, actor, "retention_policy.updated", "retention_policy", null, {
      before: summary(before),
      after: summary(await findEffectivePolicies(tx)),
      confirmedBelowMinimum: below,
    });
  });
  return listRetentionPolicies(db);
}
