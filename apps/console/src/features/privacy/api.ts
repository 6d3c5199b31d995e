import type {
  AuditEntryDto,
  ConsentSettings,
  ConsentSettingsView,
  ConsentTextDto,
  DataSubjectRequestDto,
  LegalHoldDto,
  ProcessingRecordDto,
  ProcessingRecordLanguage,
  PutRetentionPoliciesBody,
  RetentionPoliciesDto,
  SaveConsentTextBody,
} from "@inbox/contracts";
import { api, qs } from "../../lib/http";

export interface AuditFilters {
  action?: string;
  actorId?: string;
  since?: string;
}

/** The record of processing activities in the console's language (German or English). */
export const recordLanguageOf = (uiLanguage: string): ProcessingRecordLanguage =>
  uiLanguage.startsWith("en") ? "en" : "de";

export const privacyApi = {
  retention: () => api<RetentionPoliciesDto>("/api/admin/retention-policies"),
  saveRetention: (body: PutRetentionPoliciesBody) =>
    api<RetentionPoliciesDto>("/api/admin/retention-policies", { method: "PUT", body }),
  holds: () => api<{ items: LegalHoldDto[] }>("/api/admin/legal-holds"),
  placeHold: (body: { conversationId?: string; contactId?: string; reason: string }) =>
    api<LegalHoldDto>("/api/admin/legal-holds", { method: "POST", body }),
  auditLog: (filters: AuditFilters, cursor?: string) =>
    api<{ items: AuditEntryDto[]; nextCursor: string | null }>(
      `/api/admin/audit-log${qs({ ...filters, cursor, limit: 100 })}`,
    ),
  auditCsvUrl: (filters: AuditFilters) => `/api/admin/audit-log.csv${qs({ ...filters })}`,
  requests: () => api<{ items: DataSubjectRequestDto[] }>("/api/admin/data-subject-requests"),
  createRequest: (body: { contactId: string; type: "export" | "erasure" }) =>
    api<DataSubjectRequestDto>("/api/admin/data-subject-requests", { method: "POST", body }),
  downloadUrl: (id: string) => `/api/admin/data-subject-requests/${id}/download`,
  processingRecord: (lang: ProcessingRecordLanguage) =>
    api<ProcessingRecordDto>(`/api/admin/processing-record${qs({ lang })}`),
  processingRecordMarkdownUrl: (lang: ProcessingRecordLanguage) => `/api/admin/processing-record.md${qs({ lang })}`,
  consentTexts: () => api<{ items: ConsentTextDto[] }>("/api/admin/consent-texts"),
  saveConsentText: (body: SaveConsentTextBody) =>
    api<ConsentTextDto>("/api/admin/consent-texts", { method: "POST", body }),
  consentSettings: () => api<ConsentSettingsView>("/api/admin/consent-settings"),
  saveConsentSettings: (body: ConsentSettings) =>
    api<ConsentSettingsView>("/api/admin/consent-settings", { method: "PUT", body }),
  releaseHold: (id: string) => api<void>(`/api/admin/legal-holds/${id}`, { method: "DELETE" }),
};
