import i18n from "../../i18n";

/**
 * Texts of the composer's errors, the template picker and "ask for consent", in their own i18next namespace
 * ("composer"). Every error code the messages, templates and attachments API can answer has a text here.
 */
const en = {
  counter: "{{count}} / {{max}} characters",
  tooLongHint: "{{over}} characters too many: WhatsApp accepts at most {{max}}.",
  noQuickReplies:
    "No quick replies yet. Admins create them under Admin → Quick replies; type “/” and a shortcut to use one.",
  errors: {
    text_too_long: "The text is too long: WhatsApp accepts at most 4096 characters. Shorten it or split it up.",
    caption_too_long: "The caption is too long: WhatsApp accepts at most 1024 characters with a file.",
    template_parameters_invalid: "The template's fields do not fit it: check the marked fields.",
    validation_failed: "The message is not valid: check what you entered.",
    bad_request: "The request was not understood. Reload the page and try again.",
    opted_out: "The contact has opted out: nothing can be sent until they write again or opt in.",
    window_closed: "The 24 h window has closed: only an approved template can be sent now.",
    consent_missing: "The contact has not consented to this kind of message. Ask for consent while the window is open.",
    template_not_found: "The template is no longer known for this number. An administrator can sync the templates.",
    template_not_approved: "The template is not approved by WhatsApp (any more).",
    unsupported_by_channel: "This channel has no templates: write a normal message.",
    suppressed: "This contact's data was erased: nothing can be sent to them.",
    not_found: "The conversation no longer exists.",
    forbidden: "You may not write in this conversation.",
    unauthenticated: "Your session has ended. Sign in again.",
    csrf_failed: "The page is out of date. Reload it and try again.",
    conflict: "The message could not be stored. Try again.",
    payload_too_large: "The file is too large for WhatsApp.",
    unsupported_media_type: "WhatsApp does not accept this file type.",
    rate_limited: "Too many requests. Wait a moment and try again.",
    unavailable: "The server is briefly unavailable. Try again in a moment.",
    internal: "Something went wrong on the server. Try again.",
    network: "No connection to the server. Check the connection and try again.",
    unknown: "Sending failed. Try again.",
  },
  template: {
    blockedTitle: "Not available for this contact",
    blocked: {
      opted_out: "the contact has opted out",
      consent_missing_marketing: "no consent to marketing messages",
      consent_missing_service: "no consent to notifications",
      template_not_approved: "not approved by WhatsApp ({{status}})",
    },
    noneSendable: "No template can be sent to this contact now.",
    headerText: "Header variable {{name}}",
    headerMedia: {
      IMAGE: "Header image",
      VIDEO: "Header video",
      DOCUMENT: "Header document",
    },
    upload: "Upload a file",
    orLink: "…or a public link (https)",
    uploaded: "{{name}} uploaded",
    variable: "Variable {{n}}",
    urlButton: "Button “{{text}}”: end of the link {{url}}",
    quickReply: "Button “{{text}}”: reply payload (optional)",
    preview: "Preview: what the customer sees",
    mediaPlaceholder: "[{{kind}}]",
    problems: {
      missing: "required",
      unexpected: "not in this template",
      format: "no line breaks, tabs or more than four spaces in a row",
      too_long: "too long once filled in (WhatsApp: body 1024, header 60 characters)",
      media_required: "this template needs a header file or link",
      media_not_expected: "this template has no media header",
      invalid_link: "the link must start with https://",
      out_of_range: "a number in decimal degrees: latitude −90 to 90, longitude −180 to 180",
      invalid_currency: "a three-letter ISO 4217 code such as EUR, CHF or USD",
      invalid_amount: "an amount such as 12.50",
    },
    fixFields: "Check the marked fields before sending.",
    location: {
      legend: "Map in the header (the customer's map app opens here)",
      latitude: "Latitude",
      longitude: "Longitude",
      name: "Name of the place",
      address: "Address",
      hint: "Decimal degrees, for example 52.5200 and 13.4050.",
    },
    kind: {
      label: "Kind of value {{n}}",
      text: "Text",
      currency: "Amount",
      date_time: "Date",
    },
    currencyCode: "Currency for {{n}} (ISO 4217)",
    amount: "Amount for {{n}}",
    date: "Date for {{n}}",
    fallbackHint: "What the customer sees; filled in from the amount or the date, and editable.",
  },
  consent: {
    ask: "Ask for consent",
    asking: "Asking…",
    asked:
      "Consent question sent. When the customer answers “JA” or “YES”, templates can be sent after the window closes.",
    hint: "Sends the configured consent question in the customer's language.",
    repliesOnly:
      "Opted out, but wrote again: replies inside this window are allowed; templates after it stay blocked until they opt in.",
  },
};

const de: typeof en = {
  counter: "{{count}} / {{max}} Zeichen",
  tooLongHint: "{{over}} Zeichen zu viel: WhatsApp nimmt höchstens {{max}} an.",
  noQuickReplies:
    "Noch keine Textbausteine. Admins legen sie unter Admin → Textbausteine an; mit „/“ und dem Kürzel fügen Sie einen ein.",
  errors: {
    text_too_long:
      "Der Text ist zu lang: WhatsApp nimmt höchstens 4096 Zeichen an. Kürzen Sie ihn oder teilen Sie ihn auf.",
    caption_too_long: "Die Bildunterschrift ist zu lang: WhatsApp nimmt mit einer Datei höchstens 1024 Zeichen an.",
    template_parameters_invalid: "Die Felder passen nicht zur Vorlage: Prüfen Sie die markierten Felder.",
    validation_failed: "Die Nachricht ist ungültig: Prüfen Sie Ihre Eingaben.",
    bad_request: "Die Anfrage wurde nicht verstanden. Laden Sie die Seite neu und versuchen Sie es erneut.",
    opted_out: "Der Kontakt hat widersprochen: Es kann nichts gesendet werden, bis er wieder schreibt oder zustimmt.",
    window_closed: "Das 24-Stunden-Fenster ist geschlossen: Jetzt kann nur eine freigegebene Vorlage gesendet werden.",
    consent_missing:
      "Der Kontakt hat dieser Art von Nachricht nicht zugestimmt. Fragen Sie nach der Einwilligung, solange das Fenster offen ist.",
    template_not_found:
      "Die Vorlage ist für diese Nummer nicht mehr bekannt. Ein Administrator kann die Vorlagen abgleichen.",
    template_not_approved: "Die Vorlage ist (nicht mehr) von WhatsApp freigegeben.",
    unsupported_by_channel: "Dieser Kanal hat keine Vorlagen: Schreiben Sie eine normale Nachricht.",
    suppressed: "Die Daten dieses Kontakts wurden gelöscht: Es kann nichts an ihn gesendet werden.",
    not_found: "Die Unterhaltung gibt es nicht mehr.",
    forbidden: "Sie dürfen in dieser Unterhaltung nicht schreiben.",
    unauthenticated: "Ihre Sitzung ist abgelaufen. Melden Sie sich erneut an.",
    csrf_failed: "Die Seite ist veraltet. Laden Sie sie neu und versuchen Sie es erneut.",
    conflict: "Die Nachricht konnte nicht gespeichert werden. Versuchen Sie es erneut.",
    payload_too_large: "Die Datei ist zu groß für WhatsApp.",
    unsupported_media_type: "WhatsApp nimmt diesen Dateityp nicht an.",
    rate_limited: "Zu viele Anfragen. Warten Sie kurz und versuchen Sie es erneut.",
    unavailable: "Der Server ist kurz nicht erreichbar. Versuchen Sie es gleich noch einmal.",
    internal: "Auf dem Server ist etwas schiefgegangen. Versuchen Sie es erneut.",
    network: "Keine Verbindung zum Server. Prüfen Sie die Verbindung und versuchen Sie es erneut.",
    unknown: "Senden fehlgeschlagen. Versuchen Sie es erneut.",
  },
  template: {
    blockedTitle: "Für diesen Kontakt nicht verfügbar",
    blocked: {
      opted_out: "der Kontakt hat widersprochen",
      consent_missing_marketing: "keine Einwilligung in Werbung",
      consent_missing_service: "keine Einwilligung in Benachrichtigungen",
      template_not_approved: "nicht von WhatsApp freigegeben ({{status}})",
    },
    noneSendable: "An diesen Kontakt kann gerade keine Vorlage gesendet werden.",
    headerText: "Kopfzeilen-Variable {{name}}",
    headerMedia: {
      IMAGE: "Bild in der Kopfzeile",
      VIDEO: "Video in der Kopfzeile",
      DOCUMENT: "Dokument in der Kopfzeile",
    },
    upload: "Datei hochladen",
    orLink: "…oder ein öffentlicher Link (https)",
    uploaded: "{{name}} hochgeladen",
    variable: "Variable {{n}}",
    urlButton: "Schaltfläche „{{text}}“: Ende des Links {{url}}",
    quickReply: "Schaltfläche „{{text}}“: Antwort-Payload (optional)",
    preview: "Vorschau: So sieht es der Kunde",
    mediaPlaceholder: "[{{kind}}]",
    problems: {
      missing: "erforderlich",
      unexpected: "gibt es in dieser Vorlage nicht",
      format: "keine Zeilenumbrüche, Tabs oder mehr als vier Leerzeichen hintereinander",
      too_long: "ausgefüllt zu lang (WhatsApp: Text 1024, Kopfzeile 60 Zeichen)",
      media_required: "diese Vorlage braucht eine Datei oder einen Link für die Kopfzeile",
      media_not_expected: "diese Vorlage hat keine Medien-Kopfzeile",
      invalid_link: "der Link muss mit https:// beginnen",
      out_of_range: "eine Zahl in Dezimalgrad: Breitengrad −90 bis 90, Längengrad −180 bis 180",
      invalid_currency: "ein dreistelliger ISO-4217-Code wie EUR, CHF oder USD",
      invalid_amount: "ein Betrag wie 12,50",
    },
    fixFields: "Prüfen Sie die markierten Felder vor dem Senden.",
    location: {
      legend: "Karte in der Kopfzeile (hier öffnet sich die Karten-App des Kunden)",
      latitude: "Breitengrad",
      longitude: "Längengrad",
      name: "Name des Ortes",
      address: "Adresse",
      hint: "Dezimalgrad, zum Beispiel 52,5200 und 13,4050.",
    },
    kind: {
      label: "Art des Werts {{n}}",
      text: "Text",
      currency: "Betrag",
      date_time: "Datum",
    },
    currencyCode: "Währung für {{n}} (ISO 4217)",
    amount: "Betrag für {{n}}",
    date: "Datum für {{n}}",
    fallbackHint: "Das sieht der Kunde; aus Betrag oder Datum vorausgefüllt und änderbar.",
  },
  consent: {
    ask: "Nach Einwilligung fragen",
    asking: "Wird gefragt…",
    asked:
      "Einwilligungsfrage gesendet. Antwortet der Kunde mit „JA“ oder „YES“, können nach Ablauf des Fensters Vorlagen gesendet werden.",
    hint: "Sendet die eingestellte Einwilligungsfrage in der Sprache des Kunden.",
    repliesOnly:
      "Widersprochen, aber neu geschrieben: Antworten in diesem Fenster sind erlaubt; Vorlagen danach bleiben gesperrt, bis der Kontakt wieder zustimmt.",
  },
};

export const COMPOSER_NS = "composer";
if (!i18n.hasResourceBundle("en", COMPOSER_NS)) {
  i18n.addResourceBundle("en", COMPOSER_NS, en);
  i18n.addResourceBundle("de", COMPOSER_NS, de);
}

/** Error codes a retry can fix (the connection, the server, a race); validation and send rules cannot. */
const RETRYABLE_CODES = new Set(["network", "unavailable", "internal", "rate_limited", "conflict", "error"]);

export function isRetryableCode(code: string): boolean {
  return RETRYABLE_CODES.has(code);
}

/** The i18n key of an API error code in this namespace (unknown codes: the generic text). */
export function errorKey(code: string): string {
  return code in en.errors ? `errors.${code}` : "errors.unknown";
}
