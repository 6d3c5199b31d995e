import type { ChannelType, DbTx } from "@inbox/db";
import { AppError } from "../errors/app-error";
import type { ChannelAdapter, ChannelCapabilities } from "./channel-adapter";
import { webchatChannel } from "./webchat-channel";
import { whatsAppChannel } from "./whatsapp-channel";

/** Every channel the inbox speaks, by `Channel.type`. Adding a channel = one module + one line here. */
const CHANNEL_ADAPTERS: { readonly [T in ChannelType]: ChannelAdapter<unknown, never> } = {
  whatsapp: whatsAppChannel,
  webchat: webchatChannel,
};

export function getChannelAdapter(type: ChannelType): ChannelAdapter<unknown, never> {
  return CHANNEL_ADAPTERS[type];
}

export function listChannelTypes(): ChannelType[] {
  return Object.keys(CHANNEL_ADAPTERS) as ChannelType[];
}

export function getChannelCapabilities(type: ChannelType): ChannelCapabilities {
  return CHANNEL_ADAPTERS[type].capabilities;
}

/** The capabilities of a stored channel (one primary-key read). */
export async function findChannelCapabilities(db: DbTx, channelId: string): Promise<ChannelCapabilities> {
  const channel = await db.channel.findUnique({ where: { id: channelId }, select: { type: true } });
  if (!channel) throw new AppError("not_found", "Channel not found.");
  return getChannelCapabilities(channel.type);
}
