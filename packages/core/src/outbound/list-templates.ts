import type { Db } from "@inbox/db";
import { isUuid } from "../shared/ids";

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

/** Templates for the console's picker; approved ones only unless asked otherwise. An unknown channel has none. */
export async function listTemplates(
  db: Db,
  filter: { channelId?: string | undefined; includeUnapproved?: boolean | undefined } = {},
): Promise<TemplateSummary[]> {
  if (filter.channelId !== undefined && !isUuid(filter.channelId)) return [];
  return db.template.findMany({
    where: {
      channelId: filter.channelId,
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
