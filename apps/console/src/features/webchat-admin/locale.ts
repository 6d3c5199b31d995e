import i18n from "i18next";

/** Texts of the web chat admin page, added to the console's translations (kept apart from the main locale files). */
const en = {
  admin: { webchat: "Web chat" },
  webchat: {
    intro: "A chat window for your website. Visitors accept the privacy notice first; agents answer here in the inbox.",
    empty: "No web chat yet. Create one and paste the snippet into your website.",
    name: "Name",
    origins: "Allowed websites",
    originsHint: "One origin per line, e.g. https://www.example.de — other websites cannot use the chat.",
    primary: "Main colour",
    text: "Text colour",
    greetingDe: "Greeting (German)",
    greetingEn: "Greeting (English)",
    privacyUrl: "Link to your privacy notice",
    create: "Create web chat",
    save: "Save",
    edit: "Edit",
    cancel: "Cancel",
    snippet: "Snippet for your website",
    copy: "Copy snippet",
    copied: "Copied.",
    saved: "Saved.",
    whatsapp: "Offer “continue on WhatsApp” with",
    noWhatsapp: "— not offered —",
    clickToChat: "WhatsApp click-to-chat links",
    clickToChatHint: "Put the link or the QR code on your website, flyers or receipts; customers write first.",
    noNumber: "This number has no display number yet.",
  },
};
const de: typeof en = {
  admin: { webchat: "Web-Chat" },
  webchat: {
    intro:
      "Ein Chatfenster für Ihre Website. Besucher bestätigen zuerst den Datenschutzhinweis; Ihr Team antwortet hier im Posteingang.",
    empty: "Noch kein Web-Chat. Legen Sie einen an und fügen Sie den Code in Ihre Website ein.",
    name: "Name",
    origins: "Erlaubte Websites",
    originsHint: "Eine Adresse pro Zeile, z. B. https://www.example.de — andere Websites können den Chat nicht nutzen.",
    primary: "Hauptfarbe",
    text: "Schriftfarbe",
    greetingDe: "Begrüßung (Deutsch)",
    greetingEn: "Begrüßung (Englisch)",
    privacyUrl: "Link zu Ihrer Datenschutzerklärung",
    create: "Web-Chat anlegen",
    save: "Speichern",
    edit: "Bearbeiten",
    cancel: "Abbrechen",
    snippet: "Code für Ihre Website",
    copy: "Code kopieren",
    copied: "Kopiert.",
    saved: "Gespeichert.",
    whatsapp: "„Auf WhatsApp weiterschreiben“ anbieten mit",
    noWhatsapp: "— nicht anbieten —",
    clickToChat: "WhatsApp-Links (Click-to-Chat)",
    clickToChatHint: "Link oder QR-Code auf Website, Flyer oder Beleg: Kundinnen und Kunden schreiben zuerst.",
    noNumber: "Für diese Nummer ist noch keine Rufnummer hinterlegt.",
  },
};

i18n.addResourceBundle("en", "translation", en, true, false);
i18n.addResourceBundle("de", "translation", de, true, false);
