import type {
  BusinessHours,
  LocalizedText,
  RoutingRuleDto,
  RoutingRuleInput,
  RoutingTestResult,
  TeamDetailDto,
} from "@inbox/contracts";
import { api } from "../../lib/http";

export type TeamPatch = Partial<{
  name: string;
  description: string | null;
  assignment: TeamDetailDto["assignment"];
  requirePresence: boolean;
  awayMessage: LocalizedText | null;
  greetingMessage: LocalizedText | null;
  businessHours: BusinessHours | null;
  members: { userId: string; role: "member" | "lead" }[];
}>;

export const routingApi = {
  teams: () => api<{ items: { id: string; name: string; description: string | null }[] }>("/api/admin/teams"),
  team: (id: string) => api<TeamDetailDto>(`/api/admin/teams/${id}`),
  createTeam: (name: string) => api<{ id: string }>("/api/admin/teams", { method: "POST", body: { name } }),
  updateTeam: (id: string, body: TeamPatch) => api<TeamDetailDto>(`/api/admin/teams/${id}`, { method: "PATCH", body }),
  deleteTeam: (id: string) => api<void>(`/api/admin/teams/${id}`, { method: "DELETE" }),
  rules: () => api<{ items: RoutingRuleDto[] }>("/api/admin/routing-rules"),
  saveRules: (rules: RoutingRuleInput[]) =>
    api<{ items: RoutingRuleDto[] }>("/api/admin/routing-rules", { method: "PUT", body: { rules } }),
  test: (body: {
    channelId: string;
    text: string;
    language: string | null;
    replyId: string | null;
    rules: RoutingRuleInput[];
  }) => api<RoutingTestResult>("/api/admin/routing-rules/test", { method: "POST", body }),
  setDefaultTeam: (channelId: string, defaultTeamId: string | null) =>
    api<unknown>(`/api/admin/channels/${channelId}`, { method: "PATCH", body: { defaultTeamId } }),
};
