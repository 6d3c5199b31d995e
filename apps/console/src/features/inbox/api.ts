import type { ChannelDto, ConversationDto, LabelDto, QuickReplyDto, PresenceDto } from "@inbox/contracts";
import { api, qs } from "../../lib/http";

export interface ListFilters {
  view: "mine" | "unassigned" | "teams" | "all";
  status: "open" | "pending" | "resolved" | "all";
  channel?: string;
  label?: string;
  team?: string;
  q?: string;
}
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function fetchConversations(f: ListFilters, cursor: string | null, signal?: AbortSignal) {
  const assignee = f.view === "mine" ? "me" : f.view === "unassigned" ? "none" : undefined;
  const team = f.team ?? (f.view === "teams" ? "mine" : undefined);
  return api<Page<ConversationDto>>(
    `/api/conversations${qs({ status: f.status, assignee, team, channel: f.channel, label: f.label, q: f.q, limit: 200, cursor })}`,
    signal ? { signal } : {},
  );
}

export const fetchLabels = () => api<{ items: LabelDto[] }>("/api/labels");
export const fetchChannels = () => api<{ items: ChannelDto[] }>("/api/channels");
export const fetchTeams = () => api<{ items: { id: string; name: string }[] }>("/api/teams");
export const fetchPresence = () => api<PresenceDto>("/api/presence");
export const fetchUsers = () =>
  api<{ items: { id: string; name: string; role: string; teamIds: string[] }[] }>("/api/users");
export const fetchQuickReplies = () => api<{ items: QuickReplyDto[] }>("/api/quick-replies");
