import type { Channel, DbTx } from "@inbox/db";

export type InboundChannel = Pick<Channel, "id" | "externalId" | "defaultTeamId" | "type">;

/**
 * phone_number_id → channel, cached for a few seconds: every webhook names its number, and the channel row
 * changes rarely (a new default team takes effect after `ttlMs`).
 */
export class ChannelDirectory {
  private readonly cache = new Map<string, { channel: InboundChannel | null; until: number }>();

  constructor(private readonly ttlMs = 10_000) {}

  async findWhatsApp(db: DbTx, phoneNumberId: string): Promise<InboundChannel | null> {
    const hit = this.cache.get(phoneNumberId);
    if (hit && hit.until > Date.now()) return hit.channel;
    const channel = await db.channel.findUnique({
      where: { type_externalId: { type: "whatsapp", externalId: phoneNumberId } },
      select: { id: true, externalId: true, defaultTeamId: true, type: true },
    });
    // Unknown numbers are re-checked sooner, so a channel added by an admin starts receiving quickly.
    this.cache.set(phoneNumberId, { channel, until: Date.now() + (channel ? this.ttlMs : 1_000) });
    return channel;
  }

  clear(): void {
    this.cache.clear();
  }
}
