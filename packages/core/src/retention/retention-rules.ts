import type { RetentionCategory } from "@inbox/contracts";

export interface RetentionRule {
  /** Applies when an admin has configured nothing for the category. */
  defaultDays: number;
  /** Going below needs an explicit confirmation (409 `confirmation_required` otherwise). */
  minimumDays: number;
  perChannel: boolean;
  perLabel: boolean;
}

/**
 * Löschfristen: documented defaults and minimums per category (docs/privacy.md). The minimums protect against a
 * typo deleting live data (a conversation resolved yesterday, a media file an agent is about to open); retention
 * duties that run longer (commercial letters: 6 years, HGB §257) are kept with longer policies or legal holds.
 */
export const RETENTION_RULES: Record<RetentionCategory, RetentionRule> = {
  /** Messages (and their conversation), counted from the conversation's resolution. */
  messages: { defaultDays: 365, minimumDays: 30, perChannel: true, perLabel: true },
  /** Media files and their records, counted from when they were received or sent. */
  media: { defaultDays: 180, minimumDays: 7, perChannel: true, perLabel: false },
  /** Contacts (with everything about them) that had no conversation for this long. */
  contacts: { defaultDays: 730, minimumDays: 90, perChannel: true, perLabel: false },
  /** Raw webhook payloads the product keeps (unhandled fields, status reports for unknown messages). */
  webhook_payloads: { defaultDays: 30, minimumDays: 7, perChannel: false, perLabel: false },
  /** Sessions, and web chat → WhatsApp handoffs never used, counted from their expiry. */
  sessions: { defaultDays: 30, minimumDays: 1, perChannel: false, perLabel: false },
  /** Outbox rows already handed to the job queue, counted from the hand-over. */
  outbox: { defaultDays: 7, minimumDays: 1, perChannel: false, perLabel: false },
};

export const DAY_MS = 24 * 60 * 60 * 1000;
