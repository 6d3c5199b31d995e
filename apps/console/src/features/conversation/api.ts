import type {
  ContactDetailsDto,
  ConversationDto,
  ConversationTemplateDto,
  MessageDto,
  SendMessageBody,
} from "@inbox/contracts";
import { api, qs } from "../../lib/http";
import type { Page } from "../inbox/api";

export const fetchConversation = (id: string) => api<ConversationDto>(`/api/conversations/${id}`);
export const fetchMessages = (id: string, cursor: string | null) =>
  api<Page<MessageDto>>(`/api/conversations/${id}/messages${qs({ limit: 50, cursor })}`);
export const fetchContact = (id: string) => api<ContactDetailsDto>(`/api/conversations/${id}/contact`);
export const fetchConversationTemplates = (id: string) =>
  api<{ items: ConversationTemplateDto[] }>(`/api/conversations/${id}/templates`);
export const requestConsent = (id: string, clientId: string) =>
  api<MessageDto & { language: string }>(`/api/conversations/${id}/consent-request`, {
    method: "POST",
    body: { clientId },
  });
export const sendMessage = (id: string, body: SendMessageBody) =>
  api<MessageDto>(`/api/conversations/${id}/messages`, { method: "POST", body });

export type Action =
  | { path: "assign"; body: { assigneeId: string | null } }
  | { path: "status"; body: { status: "open" | "pending" | "resolved" } }
  | { path: "handover"; body: { teamId: string } }
  | { path: "snooze"; body: { until: string | null } }
  | { path: "read"; body?: undefined }
  | { path: "labels"; body: { labelIds: string[] }; method: "PUT" };

export const runAction = (id: string, action: Action) =>
  api<ConversationDto>(`/api/conversations/${id}/${action.path}`, {
    method: "method" in action ? action.method : "POST",
    ...(action.body !== undefined ? { body: action.body } : {}),
  });
