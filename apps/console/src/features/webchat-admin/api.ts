import type { ChannelDto, ClickToChatDto, WebchatChannelDto } from "@inbox/contracts";
import { api } from "../../lib/http";

export interface WebchatChannelInput {
  name: string;
  settings: {
    allowedOrigins: string[];
    colors: { primary: string; text: string };
    greeting: { de: string; en: string };
    privacyUrl?: string;
    whatsappChannelId?: string;
  };
}

export const webchatAdminApi = {
  list: () => api<{ items: WebchatChannelDto[] }>("/api/admin/webchat-channels"),
  create: (body: WebchatChannelInput) =>
    api<WebchatChannelDto>("/api/admin/webchat-channels", { method: "POST", body }),
  whatsappChannels: async () =>
    (await api<{ items: ChannelDto[] }>("/api/admin/channels")).items.filter((c) => c.type === "whatsapp"),
  clickToChat: (channelId: string) => api<ClickToChatDto>(`/api/admin/channels/${channelId}/click-to-chat`),
  update: (id: string, body: WebchatChannelInput) =>
    api<WebchatChannelDto>(`/api/admin/webchat-channels/${id}`, { method: "PATCH", body }),
};
