/** Longest message a visitor may send (the server's WEBCHAT_MAX_TEXT; a test keeps them equal). */
export const MAX_TEXT = 2000;

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
    errors: {
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
    errors: {
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
