import i18n from "i18next";
import { initReactI18next } from "react-i18next";

const en = {
  app: { title: "WhatsApp Inbox", loading: "Loading…", error: "Something went wrong.", retry: "Retry", language: "Language", logout: "Sign out", admin: "Admin", inbox: "Inbox", skip: "Skip to content", nav: "Main navigation", status: "Status", actions: "Actions", messages: "Messages", composer: "Composer", conversation: "Conversation" },
  password: {
    title: "Set a new password", forced: "Your administrator reset your password. Choose your own before you continue.",
    current: "Current password", new: "New password", repeat: "Repeat the new password", hint: "At least {{n}} characters. Your other sessions will be signed out.",
    submit: "Save password", done: "Password changed.", tooShort: "The new password needs at least {{n}} characters.", mismatch: "The two new passwords differ.",
    same: "The new password must differ from the current one.", wrongCurrent: "The current password is wrong.", link: "Password",
  },
  login: {
    title: "Sign in", email: "E-mail", password: "Password", submit: "Sign in", totpTitle: "Two-factor authentication",
    totpCode: "6-digit code from your authenticator app", verify: "Verify", enrollTitle: "Set up two-factor authentication",
    enrollHelp: "Your administrator requires two-factor authentication. Add this key to your authenticator app, then enter the code.",
    secret: "Key", failed: "Sign-in failed: e-mail or password is wrong.", locked: "Too many attempts. Try again later.", badCode: "The code is not valid.",
  },
  inbox: {
    views: { mine: "Mine", unassigned: "Unassigned", teams: "My teams", all: "All" }, status: { open: "Open", pending: "Pending", resolved: "Resolved", all: "All" },
    search: "Search name, number or text", channel: "Channel", label: "Label", team: "Team", any: "Any", empty: "No conversations here.",
    unread: "{{count}} unread", list: "Conversations", select: "Select a conversation.", forbidden: "You do not have access to this conversation.",
    notFound: "Conversation not found.", live: { connected: "Live", reconnecting: "Reconnecting…" },
  },
  conv: {
    assignedTo: "Assigned to {{name}}", online: "online", offline: "offline",
    assign: "Assign", assignToMe: "Assign to me", unassign: "Unassign", resolve: "Resolve", reopen: "Reopen", markRead: "Mark read",
    handover: "Hand over to team", snooze: "Snooze", snoozedUntil: "Snoozed until {{when}}", wake: "Wake now",
    snoozePreset: { "1h": "for 1 hour", "3h": "for 3 hours", tomorrow: "until tomorrow 9:00", nextWeek: "until Monday 9:00" }, labels: "Labels", older: "Loading older messages…", noMessages: "No messages yet.",
    note: "Private note", replyTo: "Reply to", reaction: "Reaction", location: "Location", contacts: "Contact card", document: "Document",
    image: "Image", audio: "Audio", video: "Video", sticker: "Sticker", interactive: "Interactive reply", unsupported: "Unsupported message ({{type}})",
    failed: "Failed", typing: "{{name}} is typing…", status: { queued: "queued", sending: "sending", sent: "sent", delivered: "delivered", read: "read", played: "played", failed: "failed", received: "received" },
  },
  composer: {
    placeholder: "Type a message — “/” for quick replies", send: "Send", sending: "Sending…", note: "Note", windowLeft: "24 h window: {{time}} left",
    windowClosed: "The 24 h window is closed: only approved templates can be sent.", template: "Template", chooseTemplate: "Choose a template",
    variable: "Variable {{n}}", preview: "Preview", sendTemplate: "Send template", optedOut: "The contact has opted out. Nothing can be sent.",
    quickReplies: "Quick replies", retry: "Retry",
    attach: "Attach a file", attached: "ready to send", uploading: "Uploading", removeAttachment: "Remove attachment", dropHere: "Drop the file to attach it",
    emoji: "Insert emoji", tooLarge: "The file is too large: WhatsApp accepts at most {{max}} for this type.", tooLargeAny: "The file is too large for WhatsApp.",
    unsupported: "WhatsApp does not accept this file type. Allowed: JPEG/PNG images, MP4/3GPP videos, audio (AAC, AMR, MP3, M4A, OGG), PDF, TXT and Office documents, WebP stickers.",
    uploadFailed: "The upload failed. Check the connection and try again.", noCaption: "WhatsApp shows no text with audio or stickers: clear the text field and send the text separately.",
  },
  contact: { title: "Contact", number: "Number", consents: "Consents", noConsents: "No consent records.", past: "Past conversations", granted: "granted", withdrawn: "withdrawn", optedOut: "Opted out",
    purpose: { service: "Service", marketing: "Marketing" },
    source: { chat_keyword: "chat keyword", web_form: "web form", widget: "chat widget", agent: "recorded by an agent", import: "import", whatsapp: "WhatsApp", api: "API" },
    evidence: { title: "Evidence", keyword: "The customer wrote \u201c{{text}}\u201d", whatsappStop: "Stopped marketing messages in WhatsApp", error: "Meta reported error {{code}}" },
  },
  admin: {
    users: "Users", labels: "Labels", quickReplies: "Quick replies", channels: "Channels", templates: "Templates", teams: "Teams",
    name: "Name", email: "E-mail", role: "Role", active: "Active", deactivate: "Deactivate", activate: "Activate", resetPassword: "Reset password",
    newPassword: "New password", create: "Create", save: "Save", delete: "Delete", color: "Color", shortcut: "Shortcut", text: "Text", title: "Title",
    number: "Number", quality: "Quality", state: "State", lastWebhook: "Last webhook", category: "Category", language: "Language", requireTotp: "Require two-factor authentication for everyone",
    password: "Password", done: "Saved.",
  },
};

const de: typeof en = {
  app: { title: "WhatsApp-Posteingang", loading: "Wird geladen …", error: "Etwas ist schiefgelaufen.", retry: "Erneut versuchen", language: "Sprache", logout: "Abmelden", admin: "Verwaltung", inbox: "Posteingang", skip: "Zum Inhalt springen", nav: "Hauptnavigation", status: "Status", actions: "Aktionen", messages: "Nachrichten", composer: "Eingabe", conversation: "Unterhaltung" },
  password: {
    title: "Neues Passwort festlegen", forced: "Ihre Administration hat Ihr Passwort zurückgesetzt. Legen Sie ein eigenes fest, bevor Sie weiterarbeiten.",
    current: "Aktuelles Passwort", new: "Neues Passwort", repeat: "Neues Passwort wiederholen", hint: "Mindestens {{n}} Zeichen. Ihre anderen Sitzungen werden abgemeldet.",
    submit: "Passwort speichern", done: "Passwort geändert.", tooShort: "Das neue Passwort braucht mindestens {{n}} Zeichen.", mismatch: "Die beiden neuen Passwörter stimmen nicht überein.",
    same: "Das neue Passwort muss sich vom aktuellen unterscheiden.", wrongCurrent: "Das aktuelle Passwort ist falsch.", link: "Passwort",
  },
  login: {
    title: "Anmelden", email: "E-Mail", password: "Passwort", submit: "Anmelden", totpTitle: "Zwei-Faktor-Authentifizierung",
    totpCode: "6-stelliger Code aus Ihrer Authenticator-App", verify: "Bestätigen", enrollTitle: "Zwei-Faktor-Authentifizierung einrichten",
    enrollHelp: "Ihre Administration verlangt Zwei-Faktor-Authentifizierung. Fügen Sie diesen Schlüssel Ihrer Authenticator-App hinzu und geben Sie den Code ein.",
    secret: "Schlüssel", failed: "Anmeldung fehlgeschlagen: E-Mail oder Passwort ist falsch.", locked: "Zu viele Versuche. Bitte später erneut versuchen.", badCode: "Der Code ist ungültig.",
  },
  inbox: {
    views: { mine: "Meine", unassigned: "Nicht zugewiesen", teams: "Meine Teams", all: "Alle" }, status: { open: "Offen", pending: "Wartend", resolved: "Erledigt", all: "Alle" },
    search: "Name, Nummer oder Text suchen", channel: "Kanal", label: "Label", team: "Team", any: "Alle", empty: "Keine Unterhaltungen.",
    unread: "{{count}} ungelesen", list: "Unterhaltungen", select: "Wählen Sie eine Unterhaltung.", forbidden: "Sie haben keinen Zugriff auf diese Unterhaltung.",
    notFound: "Unterhaltung nicht gefunden.", live: { connected: "Live", reconnecting: "Verbinde neu …" },
  },
  conv: {
    assignedTo: "Zugewiesen an {{name}}", online: "online", offline: "offline",
    assign: "Zuweisen", assignToMe: "Mir zuweisen", unassign: "Zuweisung aufheben", resolve: "Erledigen", reopen: "Wieder öffnen", markRead: "Als gelesen markieren",
    handover: "An Team übergeben", snooze: "Zurückstellen", snoozedUntil: "Zurückgestellt bis {{when}}", wake: "Jetzt zurückholen",
    snoozePreset: { "1h": "für 1 Stunde", "3h": "für 3 Stunden", tomorrow: "bis morgen 9:00", nextWeek: "bis Montag 9:00" }, labels: "Labels", older: "Ältere Nachrichten werden geladen …", noMessages: "Noch keine Nachrichten.",
    note: "Interne Notiz", replyTo: "Antwort auf", reaction: "Reaktion", location: "Standort", contacts: "Kontaktkarte", document: "Dokument",
    image: "Bild", audio: "Audio", video: "Video", sticker: "Sticker", interactive: "Interaktive Antwort", unsupported: "Nicht unterstützte Nachricht ({{type}})",
    failed: "Fehlgeschlagen", typing: "{{name}} schreibt …", status: { queued: "in Warteschlange", sending: "wird gesendet", sent: "gesendet", delivered: "zugestellt", read: "gelesen", played: "abgespielt", failed: "fehlgeschlagen", received: "empfangen" },
  },
  composer: {
    placeholder: "Nachricht schreiben – „/“ für Textbausteine", send: "Senden", sending: "Wird gesendet …", note: "Notiz", windowLeft: "24-Std.-Fenster: noch {{time}}",
    windowClosed: "Das 24-Std.-Fenster ist geschlossen: Nur freigegebene Vorlagen können gesendet werden.", template: "Vorlage", chooseTemplate: "Vorlage wählen",
    variable: "Variable {{n}}", preview: "Vorschau", sendTemplate: "Vorlage senden", optedOut: "Der Kontakt hat widersprochen. Es kann nichts gesendet werden.",
    quickReplies: "Textbausteine", retry: "Erneut senden",
    attach: "Datei anhängen", attached: "bereit zum Senden", uploading: "Wird hochgeladen", removeAttachment: "Anhang entfernen", dropHere: "Datei hier ablegen, um sie anzuhängen",
    emoji: "Emoji einfügen", tooLarge: "Die Datei ist zu groß: WhatsApp erlaubt für diesen Typ höchstens {{max}}.", tooLargeAny: "Die Datei ist für WhatsApp zu groß.",
    unsupported: "WhatsApp akzeptiert diesen Dateityp nicht. Erlaubt: JPEG-/PNG-Bilder, MP4-/3GPP-Videos, Audio (AAC, AMR, MP3, M4A, OGG), PDF-, TXT- und Office-Dokumente, WebP-Sticker.",
    uploadFailed: "Das Hochladen ist fehlgeschlagen. Bitte Verbindung prüfen und erneut versuchen.", noCaption: "WhatsApp zeigt bei Audio und Stickern keinen Text: Textfeld leeren und den Text separat senden.",
  },
  contact: { title: "Kontakt", number: "Nummer", consents: "Einwilligungen", noConsents: "Keine Einwilligungen erfasst.", past: "Frühere Unterhaltungen", granted: "erteilt", withdrawn: "widerrufen", optedOut: "Widersprochen",
    purpose: { service: "Service", marketing: "Werbung" },
    source: { chat_keyword: "Chat-Stichwort", web_form: "Webformular", widget: "Chat-Widget", agent: "von Mitarbeitenden erfasst", import: "Import", whatsapp: "WhatsApp", api: "API" },
    evidence: { title: "Nachweis", keyword: "Kund:in schrieb \u201e{{text}}\u201c", whatsappStop: "Werbenachrichten in WhatsApp gestoppt", error: "Meta meldete Fehler {{code}}" },
  },
  admin: {
    users: "Benutzer", labels: "Labels", quickReplies: "Textbausteine", channels: "Kanäle", templates: "Vorlagen", teams: "Teams",
    name: "Name", email: "E-Mail", role: "Rolle", active: "Aktiv", deactivate: "Deaktivieren", activate: "Aktivieren", resetPassword: "Passwort zurücksetzen",
    newPassword: "Neues Passwort", create: "Anlegen", save: "Speichern", delete: "Löschen", color: "Farbe", shortcut: "Kürzel", text: "Text", title: "Titel",
    number: "Nummer", quality: "Qualität", state: "Status", lastWebhook: "Letzter Webhook", category: "Kategorie", language: "Sprache", requireTotp: "Zwei-Faktor-Authentifizierung für alle verlangen",
    password: "Passwort", done: "Gespeichert.",
  },
};

const stored = typeof localStorage !== "undefined" ? localStorage.getItem("inbox.lang") : null;
void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, de: { translation: de } },
  lng: stored ?? (navigator.language.startsWith("de") ? "de" : "en"),
  fallbackLng: "en",
  interpolation: { escapeValue: false },
});
i18n.on("languageChanged", (lng) => {
  document.documentElement.lang = lng;
  localStorage.setItem("inbox.lang", lng);
});
document.documentElement.lang = i18n.language;

export default i18n;
