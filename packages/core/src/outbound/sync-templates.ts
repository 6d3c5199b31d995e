import type { Db, Prisma } from "@inbox/db";
import type { MessageTemplate, MessageTemplatesResponse } from "@inbox/whatsapp";
import { AppError } from "../errors/app-error";

export interface TemplateSource {
  listTemplates(wabaId: string): Promise<MessageTemplatesResponse>;
}

export interface SyncTemplatesResult {
  upserted: number;
  /** Templates we had that Meta no longer lists: kept (history refers to them) with status DELETED. */
  removed: number;
  skipped: number;
}

const CATEGORIES = { MARKETING: "marketing", UTILITY: "utility", AUTHENTICATION: "authentication" } as const;

/** Distinct body placeholders: {{1}}, {{2}} … or named {{first_name}}. */
function countTemplateParameters(template: Pick<MessageTemplate, "components">): number {
  const body = template.components.find((c) => c.type.toUpperCase() === "BODY");
  if (!body?.text) return 0;
  return new Set([...body.text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1])).size;
}

/**
 * Pulls the WABA's templates (`GET /{waba-id}/message_templates`) into the Template table: category, review
 * status, components and parameter count. Runs on a schedule and on demand (admins).
 */
export async function syncTemplates(
  deps: { db: Db; graph: TemplateSource; clock?: () => Date },
  input: { channelId: string },
): Promise<SyncTemplatesResult> {
  const { db } = deps;
  const now = deps.clock?.() ?? new Date();
  const channel = await db.channel.findUnique({ where: { id: input.channelId } });
  if (!channel) throw new AppError("not_found", "Channel not found.");
  if (channel.type !== "whatsapp" || !channel.accountId) {
    throw new AppError("bad_request", "The channel has no WhatsApp Business Account id; templates cannot be synced.");
  }
  const { data } = await deps.graph.listTemplates(channel.accountId);
  let upserted = 0;
  let skipped = 0;
  const seen: { name: string; language: string }[] = [];
  await db.$transaction(
    async (tx) => {
      for (const t of data) {
        const category = CATEGORIES[t.category.toUpperCase() as keyof typeof CATEGORIES];
        if (!category) {
          skipped++;
          continue;
        }
        const fields = {
          externalId: t.id,
          category,
          status: t.status.toUpperCase(),
          components: t.components as Prisma.InputJsonArray,
          parameterCount: countTemplateParameters(t),
          syncedAt: now,
        };
        await tx.template.upsert({
          where: { channelId_name_language: { channelId: channel.id, name: t.name, language: t.language } },
          create: { channelId: channel.id, name: t.name, language: t.language, ...fields },
          update: fields,
        });
        seen.push({ name: t.name, language: t.language });
        upserted++;
      }
    },
    { timeout: 60_000 },
  );
  const { count: removed } = await db.template.updateMany({
    where: {
      channelId: channel.id,
      status: { not: "DELETED" },
      NOT: seen.length ? { OR: seen.map((s) => ({ name: s.name, language: s.language })) } : { id: { in: [] } },
    },
    data: { status: "DELETED", syncedAt: now },
  });
  return { upserted, removed, skipped };
}
