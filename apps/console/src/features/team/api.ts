import type { BulkReassignBody, BulkReassignResponse, TeamDashboard } from "@inbox/contracts";
import { api } from "../../lib/http";

export const DASHBOARD_KEY = ["team-dashboard"] as const;

export const teamApi = {
  dashboard: () => api<TeamDashboard>("/api/teams/dashboard"),
  reassign: (body: BulkReassignBody) =>
    api<BulkReassignResponse>("/api/conversations/reassign", { method: "POST", body }),
};
