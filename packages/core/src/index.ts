/**
 * @inbox/core's public surface: the use cases the apps call, the ports they implement and the services their
 * composition roots build. Everything else in this package is internal; add a name here only when an app needs it.
 */

// Errors and audit
export { AppError, isAppError } from "./errors/app-error";
export type { Actor } from "./audit/record-audit";
export { listAuditLog } from "./audit/list-audit-log";
export { exportAuditLogCsv } from "./audit/export-audit-log-csv";
export { recordConversationRead } from "./audit/record-conversation-read";

// Users, sign-in and sessions
export { createUser } from "./users/create-user";
export { ensureFirstAdmin } from "./users/ensure-first-admin";
export { verifyPassword } from "./users/password";
export { logIn } from "./auth/log-in";
export { logOut } from "./auth/log-out";
export { findSession, type ActiveSession } from "./auth/find-session";
export type { SessionUser } from "./auth/session-user";
export { MAX_SESSION_FAILED_CHECKS, sessionPolicyOf, type SessionPolicy } from "./auth/session-token";
export type { RotatedSession } from "./auth/session-checks";
export { LOGIN_FREE_ATTEMPTS, sweepLoginThrottles } from "./auth/login-throttle";
export { sweepExpiredSessions } from "./auth/sweep-expired-sessions";
export { isTotpRequired, readSecuritySettings } from "./auth/read-security-settings";
export {
  beginTotpEnrollment,
  confirmTotpEnrollment,
  countRecoveryCodes,
  disableTotp,
  regenerateRecoveryCodes,
  resetUserTotp,
  TOTP_FREE_FAILURES,
  verifySessionTotp,
} from "./auth/totp";
export { changeOwnPassword } from "./auth/change-password";

// Secrets stored in the database (encrypted with ENCRYPTION_KEY)
export { createSecretBox, type SecretBox } from "./secrets/secret-box";
export { encryptStoredSecrets } from "./secrets/encrypt-stored-secrets";

// Administration
export { createUserAccount, listActiveUsers, listUsers, resetUserPassword, updateUser } from "./admin/manage-users";
export { describeQueues, listFailedQueueJobs, removeQueueJob, retryFailedQueueJobs } from "./admin/manage-queues";
export {
  createTeam,
  deleteLabel,
  deleteQuickReply,
  listChannels,
  listLabels,
  listQuickReplies,
  listTeams,
  saveLabel,
  saveQuickReply,
  updateSecuritySettings,
} from "./admin/manage-catalog";

// Channels
export { provisionWhatsAppChannel } from "./channels/provision-whatsapp-channel";
export { registerWhatsAppNumber } from "./channels/register-whatsapp-number";

// Conversations
export {
  assertConversationAccess,
  canAccessConversation,
  findAccessibleConversation,
} from "./conversations/can-access-conversation";
export { changeConversation } from "./conversations/change-conversation";
export { reassignConversations } from "./conversations/reassign-conversations";
export { getConversation } from "./conversations/get-conversation";
export { getConversationContact } from "./conversations/get-conversation-contact";
export { listConversationMessages } from "./conversations/list-conversation-messages";
export { listConversations } from "./conversations/list-conversations";
export { wakeSnoozedConversations } from "./conversations/wake-snoozed-conversations";

// Inbound: the webhook receiver
export { applyWhatsAppDelivery } from "./inbound/apply-whatsapp-delivery";
export { ChannelDirectory } from "./inbound/channel-directory";
export { ConsentKeywordCache } from "./consent/consent-keywords";
export { createDeliveryBatcher, type DeliveryBatcher } from "./inbound/delivery-batcher";
export { sweepUnappliedStatuses } from "./inbound/sweep-unapplied-statuses";
export { countQuarantinedDeliveries, listQuarantinedDeliveries } from "./inbound/list-quarantined-deliveries";
export { dismissQuarantinedDelivery } from "./inbound/dismiss-quarantined-delivery";
export { reprocessQuarantinedDeliveries } from "./inbound/reprocess-quarantined-deliveries";

// Consent: one way to record it, one query for the current state
export { confirmConsentKeyword } from "./consent/confirm-consent-keyword";
export { recordAgentConsent } from "./consent/record-agent-consent";

// Outbound: queuing, sending, templates
export { queueOutboundMessage } from "./outbound/queue-outbound-message";
export { sendQueuedMessage } from "./outbound/send-queued-message";
export { DEFAULT_RECONCILE_GRACE_MS, type MessageSender, type SendQueuedMessageDeps } from "./outbound/send-deps";
export type { Throttle } from "./outbound/wait-for-slot";
export { ORPHANED_CLAIM_MS } from "./outbound/reconcile-unclaimed";
export { isRetryableSendError, isThroughputWait, RetryableSendError } from "./outbound/send-errors";
export { createGroupedSendStatements, createSendStatements, type SendStatements } from "./outbound/send-statements";
export { sweepStuckMessages, type SweepStuckMessagesOptions } from "./outbound/sweep-stuck-messages";
export { resumeChannel } from "./outbound/resume-channel";
export { listTemplates } from "./outbound/list-templates";
export { listConversationTemplates } from "./outbound/list-conversation-templates";
export { requestConsent } from "./consent/request-consent";
export { listTemplateChannelIds } from "./outbound/list-template-channels";
export { requestTemplateSync } from "./outbound/request-template-sync";
export { syncTemplates } from "./outbound/sync-templates";

// Media
export { LocalDiskMediaStore, type MediaStore } from "./media/media-store";
export { createMediaStore } from "./media/create-media-store";
export { maxAttachmentBytes, maxCapabilityBytes } from "./media/classify-attachment";
export { downloadMediaAsset } from "./media/download-media-asset";
export { openMediaAsset } from "./media/open-media-asset";
export { storeOutboundAttachment } from "./media/store-outbound-attachment";
export { sweepPendingMedia, type SweepPendingMediaOptions } from "./media/sweep-pending-media";
export { sweepUnroutedConversations, type SweepUnroutedOptions } from "./routing/sweep-unrouted-conversations";

// Live updates to the consoles
export { buildLiveEvents } from "./realtime/build-live-events";
export { createLiveChangeBatcher, type LiveChangeBatcher } from "./realtime/live-change-batcher";
export { createLivePublisher, subscribeLiveEvents, type LivePublisher } from "./realtime/live-publisher";
export { createLiveBacklog } from "./realtime/live-backlog";
export { createPresence, PRESENCE_HEARTBEAT_MS } from "./realtime/presence";

// Channels: the adapters, their registry and the web chat use cases
export * from "./channels/index";

// Retention, legal holds and data-subject rights
export { listRetentionPolicies } from "./retention/list-retention-policies";
export { saveRetentionPolicies } from "./retention/save-retention-policies";
export { listLegalHolds, placeLegalHold, releaseLegalHold } from "./retention/legal-holds";
export { runRetention, type RetentionReport } from "./retention/run-retention";
export {
  createDataSubjectRequest,
  getDataSubjectRequest,
  listDataSubjectRequests,
  openDataSubjectExport,
} from "./privacy/data-subject-requests";
export { buildProcessingRecord } from "./privacy/build-processing-record";
export { renderProcessingRecord } from "./privacy/render-processing-record";
export { listConsentTexts, saveConsentText } from "./privacy/manage-consent-texts";
export { getConsentSettings, saveConsentSettings } from "./privacy/manage-consent-settings";

// Routing, availability and vacation cover
export { createConversationRouter, type ConversationRouter, type RoutingDeps } from "./routing/route-new-conversation";
export { assignQueues, createQueueAssigner, type AssignmentDeps } from "./routing/assign-queued-conversations";
export { runRoutingTick } from "./routing/run-routing-tick";
export { sendAutoReplies } from "./routing/send-auto-replies";
export { getAvailability, setAvailability } from "./routing/set-availability";
export { listRoutingRules, replaceRoutingRules } from "./routing/replace-routing-rules";
export { testRouting } from "./routing/decide-team";
export { deleteTeam, listTeamDetails, setChannelDefaultTeam, updateTeam } from "./routing/manage-teams";
export { createAbsence, deleteAbsence, listAbsences, type AbsenceActor } from "./routing/manage-absences";
export { applyAbsences } from "./routing/apply-absences";
export { getBusinessProfile } from "./business-profile/get-business-profile";
export { updateBusinessProfile } from "./business-profile/update-business-profile";
export { setBusinessProfilePhoto } from "./business-profile/set-business-profile-photo";
export { getTeamDashboard } from "./routing/get-team-dashboard";
