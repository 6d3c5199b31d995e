/**
 * Thrown by the worker's send use case when the job should run again later. The worker's retry wiring turns
 * it into a BullMQ retry (exponential backoff with jitter, or `retryAfterMs` when the cause names a wait).
 */
export class RetryableSendError extends Error {
  constructor(
    readonly reason: "graph" | "rate_limited" | "awaiting_status" | "awaiting_claim",
    message: string,
    readonly retryAfterMs?: number,
    /** Meta's error code, when Graph answered with one (130429, 131056, …). */
    readonly graphCode?: number,
  ) {
    super(message);
    this.name = "RetryableSendError";
  }
}

export function isRetryableSendError(error: unknown): error is RetryableSendError {
  return error instanceof RetryableSendError;
}

/** Meta's "throughput reached": the number's messages per second were exceeded; nothing was sent. */
export const THROUGHPUT_REFUSED_CODE = 130429;

/**
 * The send only has to wait for the number's throughput: no slot soon enough, or Meta answered 130429 again after
 * the send re-booked its slot. Nothing failed, so the worker delays the job (to its slot) without using an attempt.
 */
export function isThroughputWait(error: unknown): error is RetryableSendError {
  return (
    isRetryableSendError(error) && (error.reason === "rate_limited" || error.graphCode === THROUGHPUT_REFUSED_CODE)
  );
}

/** A failure reason agents read, in German and English. */
export interface FailureReason {
  de: string;
  en: string;
}

export const POLICY_REASONS_DE: Record<"opted_out" | "window_closed" | "consent_missing", string> = {
  opted_out: "Der Kontakt hat der Kommunikation widersprochen. Es wird nichts gesendet.",
  window_closed: "Das 24-Stunden-Fenster ist geschlossen. Nur eine freigegebene Vorlage darf gesendet werden.",
  consent_missing: "Für diese Vorlage fehlt die Einwilligung des Kontakts.",
};

export const UNCONFIRMED_REASON: FailureReason = {
  de: "Der Versand wurde unterbrochen; ob WhatsApp die Nachricht angenommen hat, ist unbekannt. Sie wurde nicht erneut gesendet, um eine Doppelsendung zu vermeiden. Bei Bedarf erneut senden.",
  en: "Sending was interrupted and it is unknown whether WhatsApp accepted the message. It was not sent again to avoid a duplicate. Send it again if needed.",
};
