import type { JobHandlers } from "./context";
import { handleConsentConfirm } from "./handlers/consent-confirm";
import { handleConversationRoute } from "./handlers/conversation-route";
import { handleConversationWake } from "./handlers/conversation-wake";
import { handleMediaDownload } from "./handlers/media-download";
import { handleMessageSend } from "./handlers/message-send";
import { handleTemplateSync } from "./handlers/template-sync";
import { handleRetentionRun } from "./handlers/retention-run";

/** name → handler, for every job @inbox/jobs declares (the type requires one each). */
export const JOB_HANDLERS: JobHandlers = {
  "message.send": handleMessageSend,
  "template.sync": handleTemplateSync,
  "media.download": handleMediaDownload,
  "consent.confirm": handleConsentConfirm,
  "conversation.route": handleConversationRoute,
  "conversation.wake": handleConversationWake,
  "retention.run": handleRetentionRun,
};
