import type { Channel, Db } from "@inbox/db";
import { recordAudit } from "../audit/record-audit";
import { lockStartupProvisioning, STARTUP_TRANSACTION } from "./startup-lock";

export interface ProvisionWhatsAppChannelInput {
  phoneNumberId: string;
  businessAccountId?: string | undefined;
  displayNumber?: string | undefined;
  dataRegion: string;
}

/**
 * The environment's WhatsApp number becomes a channel (idempotent: start-up runs it every time). Its default
 * team is "Support", created when missing, so new conversations land in a queue someone sees.
 */
export async function provisionWhatsAppChannel(db: Db, input: ProvisionWhatsAppChannelInput): Promise<Channel> {
  return db.$transaction(async (tx) => {
    // Every api and worker process provisions at start, several at once when a deployment scales out.
    await lockStartupProvisioning(tx);
    const team = await tx.team.upsert({ where: { name: "Support" }, create: { name: "Support" }, update: {} });
    const existing = await tx.channel.findUnique({
      where: { type_externalId: { type: "whatsapp", externalId: input.phoneNumberId } },
    });
    if (existing) {
      return tx.channel.update({
        where: { id: existing.id },
        data: {
          accountId: input.businessAccountId ?? existing.accountId,
          displayNumber: input.displayNumber ?? existing.displayNumber,
          dataRegion: input.dataRegion,
          defaultTeamId: existing.defaultTeamId ?? team.id,
        },
      });
    }
    const channel = await tx.channel.create({
      data: {
        type: "whatsapp",
        name: input.displayNumber ? `WhatsApp ${input.displayNumber}` : "WhatsApp",
        externalId: input.phoneNumberId,
        accountId: input.businessAccountId ?? null,
        displayNumber: input.displayNumber ?? null,
        dataRegion: input.dataRegion,
        defaultTeamId: team.id,
      },
    });
    await recordAudit(tx, { type: "system" }, "channel.provisioned", "channel", channel.id, {
      type: "whatsapp",
      phoneNumberId: input.phoneNumberId,
    });
    return channel;
  }, STARTUP_TRANSACTION);
}
