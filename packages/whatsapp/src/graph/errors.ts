/**
 * Cloud API error codes: Meta's title/details wording ([ERR] developers.facebook.com/documentation/
 * business-messaging/whatsapp/support/error-codes, see the team's Cloud API notes §5), whether a
 * retry can help, and a reason agents understand (German and English).
 *
 * Base handling on `code` (and `details`), never on titles or the HTTP status. `httpStatus` is what the
 * simulator answers with; Meta's code → status mapping is UNCONFIRMED (most errors come back as 400).
 */

export type ErrorKind =
  | "auth"
  | "rate_limit"
  | "transient"
  | "window"
  | "recipient"
  | "policy"
  | "template"
  | "parameter"
  | "media"
  | "account";

export interface CloudApiErrorInfo {
  code: number;
  /** Meta's title (the `message`/`title` field) */
  title: string;
  /** Meta's `error_data.details` wording */
  details: string;
  kind: ErrorKind;
  /** true when retrying the same request later can succeed (with backoff) */
  isRetryable: boolean;
  /** HTTP status the simulator uses for the synchronous error */
  httpStatus: number;
  /** Graph error `type` */
  type: "OAuthException" | "GraphMethodException";
  reason: { de: string; en: string };
}

const e = (info: Omit<CloudApiErrorInfo, "type"> & { type?: CloudApiErrorInfo["type"] }): CloudApiErrorInfo => ({
  type: "OAuthException",
  ...info,
});

export const CLOUD_API_ERRORS: Readonly<Record<number, CloudApiErrorInfo>> = Object.freeze({
  1: e({
    code: 1,
    title: "API Unknown",
    details: "Invalid request or possible server error.",
    kind: "transient",
    isRetryable: true,
    httpStatus: 500,
    reason: {
      de: "Unbekannter Fehler bei Meta. Die Nachricht wird erneut versucht.",
      en: "Unknown error at Meta. The message will be retried.",
    },
  }),
  2: e({
    code: 2,
    title: "API Service",
    details: "Temporary due to downtime or due to being overloaded.",
    kind: "transient",
    isRetryable: true,
    httpStatus: 503,
    reason: {
      de: "WhatsApp ist vorübergehend nicht erreichbar. Die Nachricht wird erneut versucht.",
      en: "WhatsApp is temporarily unavailable. The message will be retried.",
    },
  }),
  4: e({
    code: 4,
    title: "API Too Many Calls",
    details: "The app has reached its API call rate limit.",
    kind: "rate_limit",
    isRetryable: true,
    httpStatus: 429,
    reason: {
      de: "Zu viele Anfragen an Meta. Die Nachricht wird verzögert gesendet.",
      en: "Too many requests to Meta. The message will be sent with a delay.",
    },
  }),
  100: e({
    code: 100,
    title: "Invalid parameter",
    details: "The request included one or more unsupported or misspelled parameters.",
    kind: "parameter",
    isRetryable: false,
    httpStatus: 400,
    reason: {
      de: "Die Anfrage an WhatsApp enthielt ungültige Angaben. Bitte den Administrator informieren.",
      en: "The request to WhatsApp contained invalid values. Please tell an administrator.",
    },
  }),
  190: e({
    code: 190,
    title: "Access token has expired",
    details: "Your access token has expired.",
    kind: "auth",
    isRetryable: false,
    httpStatus: 401,
    reason: {
      de: "Der WhatsApp-Zugangsschlüssel ist abgelaufen oder ungültig. Ein Administrator muss ihn erneuern; der Kanal ist pausiert.",
      en: "The WhatsApp access token expired or is invalid. An administrator must renew it; the channel is paused.",
    },
  }),
  368: e({
    code: 368,
    title: "Temporarily blocked for policies violations",
    details:
      "The WhatsApp Business Account associated with the app has been restricted or disabled for violating a platform policy.",
    kind: "account",
    isRetryable: false,
    httpStatus: 400,
    reason: {
      de: "Das WhatsApp-Konto ist wegen eines Richtlinienverstoßes gesperrt.",
      en: "The WhatsApp account is blocked for a policy violation.",
    },
  }),
  80007: e({
    code: 80007,
    title: "Rate limit issues",
    details: "The WhatsApp Business Account has reached its rate limit.",
    kind: "rate_limit",
    isRetryable: true,
    httpStatus: 429,
    reason: {
      de: "Das Anfragelimit des WhatsApp-Kontos ist erreicht. Die Nachricht wird verzögert gesendet.",
      en: "The WhatsApp account's request limit is reached. The message will be sent with a delay.",
    },
  }),
  130429: e({
    code: 130429,
    title: "Rate limit hit",
    details: "Cloud API message throughput has been reached.",
    kind: "rate_limit",
    isRetryable: true,
    httpStatus: 429,
    reason: {
      de: "Der Nachrichtendurchsatz der Nummer ist ausgeschöpft. Die Nachricht wird gleich erneut versucht.",
      en: "The number's message throughput is exhausted. The message will be retried shortly.",
    },
  }),
  131000: e({
    code: 131000,
    title: "Something went wrong",
    details: "Message failed to send due to an unknown error.",
    kind: "transient",
    isRetryable: true,
    httpStatus: 500,
    reason: {
      de: "Unbekannter Fehler beim Senden. Die Nachricht wird erneut versucht.",
      en: "Unknown error while sending. The message will be retried.",
    },
  }),
  131008: e({
    code: 131008,
    title: "Required parameter is missing",
    details: "The request is missing a required parameter.",
    kind: "parameter",
    isRetryable: false,
    httpStatus: 400,
    reason: {
      de: "In der Anfrage fehlte eine Pflichtangabe.",
      en: "A required value was missing from the request.",
    },
  }),
  131009: e({
    code: 131009,
    title: "Parameter value is not valid",
    details: "One or more parameter values are invalid.",
    kind: "parameter",
    isRetryable: false,
    httpStatus: 400,
    reason: {
      de: "Eine Angabe in der Anfrage ist ungültig (z. B. Telefonnummer oder Medien-ID).",
      en: "A value in the request is invalid (for example the phone number or media id).",
    },
  }),
  131021: e({
    code: 131021,
    title: "Recipient cannot be sender",
    details: "Sender and recipient phone number is the same.",
    kind: "recipient",
    isRetryable: false,
    httpStatus: 400,
    reason: {
      de: "Absender und Empfänger sind dieselbe Nummer.",
      en: "Sender and recipient are the same number.",
    },
  }),
  131026: e({
    code: 131026,
    title: "Message Undeliverable",
    details:
      "Unable to deliver message. Reasons can include: the recipient phone number is not a WhatsApp phone number; the recipient has not accepted our new Terms of Service and Privacy Policy; the recipient is using an old WhatsApp version.",
    kind: "recipient",
    isRetryable: false,
    httpStatus: 400,
    reason: {
      de: "Die Nachricht ist nicht zustellbar: Die Nummer nutzt kein WhatsApp oder eine veraltete Version.",
      en: "The message is undeliverable: the number is not on WhatsApp or uses an outdated version.",
    },
  }),
  131031: e({
    code: 131031,
    title: "Business Account locked",
    details:
      "The WhatsApp Business Account associated with the app has been restricted or disabled for violating a platform policy, or we were unable to verify data included in the request against data set on the WhatsApp Business Account.",
    kind: "account",
    isRetryable: false,
    httpStatus: 400,
    reason: {
      de: "Das WhatsApp-Business-Konto ist gesperrt.",
      en: "The WhatsApp Business Account is locked.",
    },
  }),
  131042: e({
    code: 131042,
    title: "Business eligibility payment issue",
    details: "There was an error related to your payment method.",
    kind: "account",
    isRetryable: false,
    httpStatus: 400,
    reason: {
      de: "Problem mit der Zahlungsmethode des WhatsApp-Kontos.",
      en: "Problem with the WhatsApp account's payment method.",
    },
  }),
  131047: e({
    code: 131047,
    title: "Re-engagement message",
    details:
      "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
    kind: "window",
    isRetryable: false,
    httpStatus: 400,
    reason: {
      de: "Das 24-Stunden-Fenster ist geschlossen. Bitte eine freigegebene Vorlage senden.",
      en: "The 24-hour window is closed. Please send an approved template.",
    },
  }),
  131048: e({
    code: 131048,
    title: "Spam rate limit hit",
    details:
      "Message failed to send because there are restrictions on how many messages can be sent from this phone number. This may be because too many previous messages were blocked or flagged as spam.",
    kind: "policy",
    isRetryable: false,
    httpStatus: 400,
    reason: {
      de: "Meta hat den Versand dieser Nummer wegen Spam-Meldungen eingeschränkt.",
      en: "Meta restricted sending from this number because of spam reports.",
    },
  }),
  131049: e({
    code: 131049,
    title: "This message was not delivered to maintain healthy ecosystem engagement.",
    details: "In order to maintain a healthy ecosystem engagement, the message failed to be delivered.",
    kind: "policy",
    isRetryable: false,
    httpStatus: 400,
    reason: {
      de: "Meta hat die Nachricht nicht zugestellt (zu viele Marketing-Nachrichten an diese Person). Frühestens in 24 Stunden erneut versuchen.",
      en: "Meta did not deliver the message (too many marketing messages to this person). Try again in 24 hours at the earliest.",
    },
  }),
  131050: e({
    code: 131050,
    title:
      "Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.",
    details:
      "Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.",
    kind: "policy",
    isRetryable: false,
    httpStatus: 400,
    reason: {
      de: "Die Person hat Marketing-Nachrichten in WhatsApp abbestellt.",
      en: "The person stopped marketing messages in WhatsApp.",
    },
  }),
  131051: e({
    code: 131051,
    title: "Unsupported message type",
    details: "Message type is not currently supported.",
    kind: "parameter",
    isRetryable: false,
    httpStatus: 400,
    reason: {
      de: "Dieser Nachrichtentyp wird nicht unterstützt.",
      en: "This message type is not supported.",
    },
  }),
  131052: e({
    code: 131052,
    title: "Media download error",
    details: "Unable to download the media sent by the user.",
    kind: "media",
    isRetryable: false,
    httpStatus: 400,
    reason: {
      de: "Die Mediendatei des Kunden konnte nicht geladen werden (evtl. größer als 100 MB).",
      en: "The customer's media file could not be downloaded (possibly larger than 100 MB).",
    },
  }),
  131053: e({
    code: 131053,
    title: "Media upload error",
    details: "Unable to upload the media used in the message.",
    kind: "media",
    isRetryable: false,
    httpStatus: 400,
    reason: {
      de: "Die Mediendatei konnte nicht hochgeladen werden (Dateityp oder Größe nicht erlaubt).",
      en: "The media file could not be uploaded (file type or size not allowed).",
    },
  }),
  131056: e({
    code: 131056,
    title: "(Business Account, Consumer Account) pair rate limit hit",
    details:
      "Too many messages sent from the sender phone number to the same recipient phone number in a short period of time.",
    kind: "rate_limit",
    isRetryable: true,
    httpStatus: 400,
    reason: {
      de: "Zu viele Nachrichten in kurzer Zeit an diese Person. Die Nachricht wird verzögert gesendet.",
      en: "Too many messages to this person in a short time. The message will be sent with a delay.",
    },
  }),
  131057: e({
    code: 131057,
    title: "Account in maintenance mode",
    details: "Business Account is in maintenance mode.",
    kind: "transient",
    isRetryable: true,
    httpStatus: 503,
    reason: {
      de: "Das WhatsApp-Konto ist kurz im Wartungsmodus (z. B. Durchsatz-Upgrade). Die Nachricht wird erneut versucht.",
      en: "The WhatsApp account is briefly in maintenance mode (e.g. a throughput upgrade). The message will be retried.",
    },
  }),
  131062: e({
    code: 131062,
    // UNCONFIRMED wording: the BSUID page only says authentication templates cannot be sent to a BSUID.
    title: "Authentication templates cannot be sent to business-scoped user IDs",
    details: "Authentication templates cannot be sent to a business-scoped user ID. Use the user's phone number.",
    kind: "recipient",
    isRetryable: false,
    httpStatus: 400,
    reason: {
      de: "Authentifizierungs-Vorlagen können nur an Telefonnummern gesendet werden, nicht an WhatsApp-Nutzernamen.",
      en: "Authentication templates can only go to phone numbers, not to WhatsApp usernames.",
    },
  }),
  132000: e({
    code: 132000,
    title: "Template Param Count Mismatch",
    details:
      "The number of variable parameter values included in the request did not match the number of variable parameters defined in the template.",
    kind: "template",
    isRetryable: false,
    httpStatus: 400,
    reason: {
      de: "Die Anzahl der Platzhalter passt nicht zur Vorlage.",
      en: "The number of placeholders does not match the template.",
    },
  }),
  132001: e({
    code: 132001,
    title: "Template does not exist",
    details: "The template does not exist in the specified language or the template has not been approved.",
    kind: "template",
    isRetryable: false,
    httpStatus: 400,
    reason: {
      de: "Die Vorlage gibt es in dieser Sprache nicht oder sie ist nicht freigegeben.",
      en: "The template does not exist in this language or is not approved.",
    },
  }),
  132005: e({
    code: 132005,
    title: "Template Hydrated Text Too Long",
    details: "Translated text is too long.",
    kind: "template",
    isRetryable: false,
    httpStatus: 400,
    reason: {
      de: "Der Vorlagentext mit eingesetzten Werten ist zu lang.",
      en: "The template text with its values filled in is too long.",
    },
  }),
  132007: e({
    code: 132007,
    title: "Template Format Character Policy Violated",
    details: "Template content violates a WhatsApp policy.",
    kind: "template",
    isRetryable: false,
    httpStatus: 400,
    reason: {
      de: "Der Vorlageninhalt verstößt gegen eine WhatsApp-Richtlinie.",
      en: "The template content violates a WhatsApp policy.",
    },
  }),
  132012: e({
    code: 132012,
    title: "Template Parameter Format Mismatch",
    details: "Variable parameter values formatted incorrectly.",
    kind: "template",
    isRetryable: false,
    httpStatus: 400,
    reason: {
      de: "Ein Platzhalterwert hat das falsche Format (z. B. Bild statt Text).",
      en: "A placeholder value has the wrong format (e.g. an image instead of text).",
    },
  }),
  132015: e({
    code: 132015,
    title: "Template is Paused",
    details: "Template is paused due to low quality so it cannot be sent in a template message.",
    kind: "template",
    isRetryable: false,
    httpStatus: 400,
    reason: {
      de: "Die Vorlage ist wegen schlechter Qualität pausiert.",
      en: "The template is paused because of low quality.",
    },
  }),
  132016: e({
    code: 132016,
    title: "Template is Disabled",
    details: "Template has been paused too many times due to low quality and is now permanently disabled.",
    kind: "template",
    isRetryable: false,
    httpStatus: 400,
    reason: {
      de: "Die Vorlage ist dauerhaft deaktiviert.",
      en: "The template is permanently disabled.",
    },
  }),
  133010: e({
    code: 133010,
    title: "Account not registered",
    details: "The phone number is not registered on the WhatsApp Business Platform.",
    kind: "account",
    isRetryable: false,
    httpStatus: 400,
    reason: {
      de: "Die Geschäftsnummer ist nicht bei WhatsApp registriert.",
      en: "The business number is not registered with WhatsApp.",
    },
  }),
  133016: e({
    code: 133016,
    title: "Account register deregister rate limit exceeded",
    details:
      "Registration or Deregistration failed because there were too many attempts for this phone number in a short period of time.",
    kind: "rate_limit",
    isRetryable: false,
    httpStatus: 400,
    reason: {
      de: "Zu viele Registrierungsversuche für diese Nummer. Später erneut versuchen.",
      en: "Too many registration attempts for this number. Try again later.",
    },
  }),
});

export function getCloudApiError(code: number): CloudApiErrorInfo | undefined {
  return CLOUD_API_ERRORS[code];
}

/** Unknown codes: retry only server-side failures (HTTP 5xx). */
export function isRetryableError(code: number | undefined, httpStatus?: number): boolean {
  if (code !== undefined && CLOUD_API_ERRORS[code]) return CLOUD_API_ERRORS[code].isRetryable;
  return httpStatus !== undefined && httpStatus >= 500;
}

/** Agent-facing reason for a code, falling back to a generic sentence. */
export function describeCloudApiError(code: number | undefined, locale: "de" | "en" = "de"): string {
  const info = code === undefined ? undefined : CLOUD_API_ERRORS[code];
  if (info) return info.reason[locale];
  return locale === "de"
    ? `WhatsApp hat die Nachricht abgelehnt (Fehler ${code ?? "unbekannt"}).`
    : `WhatsApp rejected the message (error ${code ?? "unknown"}).`;
}
