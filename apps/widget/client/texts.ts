/** Longest message a visitor may send (the server's WEBCHAT_MAX_TEXT; a test keeps them equal). */
export const MAX_TEXT = 2000;

/** What the widget offers to attach (the web chat channel's media capabilities; the server checks the bytes). */
export const ACCEPT = "image/jpeg,image/png,image/webp,image/gif,application/pdf,text/plain,.pdf,.txt";
/** Largest image and other file, in bytes (the channel's capabilities; checked before the upload starts). */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Every text the widget shows, in German and English (chosen by the browser's language). */
export const TEXTS = {
  de: {
    open: "Chat öffnen",
    close: "Chat schließen",
    placeholder: "Ihre Nachricht …",
    send: "Senden",
    consentTitle: "Bevor es losgeht",
    privacy: "Datenschutzhinweis",
    agree: "Einverstanden, Chat starten",
    mustTick: "Bitte bestätigen Sie zuerst den Hinweis.",
    typing: "Wir schreiben …",
    read: "Gelesen",
    sending: "Wird gesendet …",
    offline: "Verbindung unterbrochen – wir verbinden neu …",
    tooLong: "Die Nachricht ist zu lang: höchstens {n} Zeichen.",
    whatsapp: "Auf WhatsApp weiterschreiben",
    whatsappOpen: "WhatsApp öffnen",
    whatsappScan: "Mit dem Handy scannen, um auf WhatsApp weiterzuschreiben:",
    attach: "Datei anhängen (Bild, PDF oder Text)",
    uploading: "Wird hochgeladen … {n} %",
    file: "Datei",
    errors: {
      file_too_large: "Die Datei ist zu groß: höchstens {n} MB.",
      unsupported_media_type:
        "Dieser Dateityp geht hier nicht. Möglich sind Bilder (JPEG, PNG, WebP, GIF), PDF und Text.",
      payload_too_large: "Die Nachricht ist zu lang: höchstens {n} Zeichen.",
      rate_limited: "Zu viele Nachrichten. Bitte warten Sie einen Moment.",
      consent_required: "Bitte bestätigen Sie zuerst den Datenschutzhinweis.",
      consent_text_changed: "Der Hinweis wurde geändert. Bitte lesen und bestätigen Sie ihn erneut.",
      visitor_token_invalid: "Die Sitzung ist abgelaufen. Bitte laden Sie die Seite neu.",
      origin_not_allowed: "Der Chat ist auf dieser Website nicht freigeschaltet.",
      other: "Das hat nicht geklappt. Bitte versuchen Sie es erneut.",
    },
  },
  en: {
    open: "Open chat",
    close: "Close chat",
    placeholder: "Your message …",
    send: "Send",
    consentTitle: "Before we start",
    privacy: "Privacy notice",
    agree: "Agree and start chat",
    mustTick: "Please confirm the notice first.",
    typing: "We are typing …",
    read: "Read",
    sending: "Sending …",
    offline: "Connection lost – reconnecting …",
    tooLong: "The message is too long: at most {n} characters.",
    whatsapp: "Continue on WhatsApp",
    whatsappOpen: "Open WhatsApp",
    whatsappScan: "Scan with your phone to continue on WhatsApp:",
    attach: "Attach a file (image, PDF or text)",
    uploading: "Uploading … {n} %",
    file: "File",
    errors: {
      file_too_large: "The file is too large: at most {n} MB.",
      unsupported_media_type:
        "This file type is not accepted. Possible are images (JPEG, PNG, WebP, GIF), PDF and text.",
      payload_too_large: "The message is too long: at most {n} characters.",
      rate_limited: "Too many messages. Please wait a moment.",
      consent_required: "Please accept the privacy notice first.",
      consent_text_changed: "The notice has changed. Please read and accept it again.",
      visitor_token_invalid: "The session has expired. Please reload the page.",
      origin_not_allowed: "The chat is not enabled on this website.",
      other: "That did not work. Please try again.",
    },
  },
} as const;

export type Language = keyof typeof TEXTS;

export function pickLanguage(languages: readonly string[]): Language {
  const first = languages[0]?.toLowerCase() ?? "en";
  return first.startsWith("de") ? "de" : "en";
}
