import type {
  ChannelDto,
  LabelDto,
  QuarantinePage,
  QuickReplyDto,
  SecuritySettings,
  ReprocessResult,
  TemplateDto,
  UserDto,
} from "@inbox/contracts";
import { api } from "../../lib/http";

export const adminApi = {
  users: () => api<{ items: UserDto[] }>("/api/admin/users"),
  createUser: (body: { email: string; password: string; role: string; teamIds: string[]; name?: string }) =>
    api<UserDto>("/api/admin/users", { method: "POST", body }),
  updateUser: (id: string, body: Record<string, unknown>) =>
    api<UserDto>(`/api/admin/users/${id}`, { method: "PATCH", body }),
  resetPassword: (id: string, password: string) =>
    api<void>(`/api/admin/users/${id}/password`, { method: "POST", body: { password } }),
  resetTotp: (id: string) => api<void>(`/api/admin/users/${id}/totp/reset`, { method: "POST" }),
  labels: () => api<{ items: LabelDto[] }>("/api/admin/labels"),
  createLabel: (body: { name: string; color: string }) => api<LabelDto>("/api/admin/labels", { method: "POST", body }),
  deleteLabel: (id: string) => api<void>(`/api/admin/labels/${id}`, { method: "DELETE" }),
  quickReplies: () => api<{ items: QuickReplyDto[] }>("/api/admin/quick-replies"),
  createQuickReply: (body: { shortcut: string; title: string; text: string }) =>
    api<QuickReplyDto>("/api/admin/quick-replies", { method: "POST", body }),
  deleteQuickReply: (id: string) => api<void>(`/api/admin/quick-replies/${id}`, { method: "DELETE" }),
  channels: () => api<{ items: ChannelDto[] }>("/api/admin/channels"),
  templates: () => api<{ items: TemplateDto[] }>("/api/templates?includeUnapproved=true"),
  security: () => api<SecuritySettings>("/api/admin/settings/security"),
  setSecurity: (body: Partial<SecuritySettings>) =>
    api<SecuritySettings>("/api/admin/settings/security", { method: "PUT", body }),
  quarantine: (cursor?: string) =>
    api<QuarantinePage>(`/api/admin/webhooks/quarantine${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`),
  reprocessQuarantine: () => api<ReprocessResult>("/api/admin/webhooks/reprocess", { method: "POST", body: {} }),
  dismissQuarantined: (id: string) => api<void>(`/api/admin/webhooks/quarantine/${id}/dismiss`, { method: "POST" }),
};
