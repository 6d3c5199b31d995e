import type {
  ConsentRequestBody,
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
/** The channel's templates for this conversation: which may go to the contact now, and why not. */
export const fetchConversationTemplates = (id: string) =>
  api<{ items: ConversationTemplateDto[] }>(`/api/conversations/${id}/templates`);
/** "Ask for consent": the configured question in the customer's language (window open only). */
export const requestConsent = (id: string, body: ConsentRequestBody) =>
  api<MessageDto>(`/api/conversations/${id}/consent-request`, { method: "POST", body });
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
