import type { WebchatChannelDto } from "@inbox/contracts";
import { api } from "../../lib/http";

export interface WebchatChannelInput {
  name: string;
  settings: {
    allowedOrigins: string[];
    colors: { primary: string; text: string };
    greeting: { de: string; en: string };
    privacyUrl?: string;
  };
}

export const webchatAdminApi = {
  list: () => api<{ items: WebchatChannelDto[] }>("/api/admin/webchat-channels"),
  create: (body: WebchatChannelInput) =>
    api<WebchatChannelDto>("/api/admin/webchat-channels", { method: "POST", body }),
  update: (id: string, body: WebchatChannelInput) =>
    api<WebchatChannelDto>(`/api/admin/webchat-channels/${id}`, { method: "PATCH", body }),
};
