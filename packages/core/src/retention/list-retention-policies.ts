import { RETENTION_CATEGORIES, type RetentionCategory, type RetentionPoliciesDto } from "@inbox/contracts";
import type { DbTx } from "@inbox/db";
import { RETENTION_RULES } from "./retention-rules";

export interface EffectivePolicy {
  /** null for a category's built-in default. */
  id: string | null;
  category: RetentionCategory;
  days: number;
  channelId: string | null;
  labelId: string | null;
}

const isKnownCategory = (c: string): c is RetentionCategory => (RETENTION_CATEGORIES as readonly string[]).includes(c);

/** The policies in force: what admins configured, plus each category's default where no general policy exists. */
export async function findEffectivePolicies(db: DbTx): Promise<EffectivePolicy[]> {
  const rows = await db.retentionPolicy.findMany({
    where: { isActive: true },
    orderBy: [{ category: "asc" }, { createdAt: "asc" }],
  });
  const stored: EffectivePolicy[] = rows
    .filter((r) => isKnownCategory(r.category))
    .map((r) => ({
      id: r.id,
      category: r.category as RetentionCategory,
      days: r.retentionDays,
      channelId: r.channelId,
      labelId: r.labelId,
    }));
  const defaults = RETENTION_CATEGORIES.filter(
    (c) => !stored.some((p) => p.category === c && !p.channelId && !p.labelId),
  ).map((c) => ({ id: null, category: c, days: RETENTION_RULES[c].defaultDays, channelId: null, labelId: null }));
  return [...stored, ...defaults].sort(
    (a, b) => RETENTION_CATEGORIES.indexOf(a.category) - RETENTION_CATEGORIES.indexOf(b.category),
  );
}

export async function listRetentionPolicies(db: DbTx): Promise<RetentionPoliciesDto> {
  const [policies, lastRun] = await Promise.all([
    findEffectivePolicies(db),
    db.retentionRun.findFirst({ orderBy: { startedAt: "desc" } }),
  ]);
  return {
    policies: policies.map((p) => ({ ...p, isDefault: p.id === null })),
    categories: RETENTION_CATEGORIES.map((category) => ({ category, ...RETENTION_RULES[category] })),
    lastRun: lastRun
      ? {
          id: lastRun.id,
          isDryRun: lastRun.isDryRun,
          startedAt: lastRun.startedAt.toISOString(),
          finishedAt: lastRun.finishedAt?.toISOString() ?? null,
        }
      : null,
  };
}
