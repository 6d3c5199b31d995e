import type { LegalHoldDto, PutRetentionPoliciesBody, RetentionPoliciesDto } from "@inbox/contracts";
import { api } from "../../lib/http";

export const privacyApi = {
  retention: () => api<RetentionPoliciesDto>("/api/admin/retention-policies"),
  saveRetention: (body: PutRetentionPoliciesBody) =>
    api<RetentionPoliciesDto>("/api/admin/retention-policies", { method: "PUT", body }),
  holds: () => api<{ items: LegalHoldDto[] }>("/api/admin/legal-holds"),
  placeHold: (body: { conversationId?: string; contactId?: string; reason: string }) =>
    api<LegalHoldDto>("/api/admin/legal-holds", { method: "POST", body }),
  releaseHold: (id: string) => api<void>(`/api/admin/legal-holds/${id}`, { method: "DELETE" }),
};
