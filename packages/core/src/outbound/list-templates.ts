import type { Db } from "@inbox/db";

export interface TemplateSummary {
  id: string;
  channelId: string;
  name: string;
  language: string;
  category: "marketing" | "utility" | "authentication";
  status: string;
  parameterCount: number;
  components: unknown;
  syncedAt: Date;
}

/** Templates for the console's picker; approved ones only unless asked otherwise. */
export async function listTemplates(
  db: Db,
  filter: { channelId?: string | undefined; includeUnapproved?: boolean | undefined } = {},
): Promise<TemplateSummary[]> {
  return db.template.findMany({
    where: {
      ...(filter.channelId ? { channelId: filter.channelId } : {}),
      ...(filter.includeUnapproved ? {} : { status: "APPROVED" }),
    },
    orderBy: [{ name: "asc" }, { language: "asc" }],
    select: {
      id: true,
      channelId: true,
      name: true,
      language: true,
      category: true,
      status: true,
      parameterCount: true,
      components: true,
      syncedAt: true,
    },
  });
}
