import type { DbTx } from "@inbox/db";

/** Ids of the WhatsApp channels with a business account id — those whose templates are synced (or the one asked). */
export async function listTemplateChannelIds(db: DbTx, onlyChannelId?: string): Promise<string[]> {
  const channels = await db.channel.findMany({
    where: { type: "whatsapp", accountId: { not: null }, id: onlyChannelId },
    select: { id: true },
    orderBy: { createdAt: "asc" },
  });
  return channels.map((c) => c.id);
}
