import i18n from "../../i18n";

/** Texts of the everyday shell: navigation, thread comfort, notifications, shortcuts, roles and empty states. */
const en = {
  menu: "Menu",
  closeMenu: "Close menu",
  absences: "Absences",
  signedInAs: "Signed in as {{name}}",
  back: "Back to the list",
  backToThread: "Back to the conversation",
  contact: "Contact",
  moreActions: "More actions",
  today: "Today",
  yesterday: "Yesterday",
  automatic: "Automatic",
  formerColleague: "Former colleague",
  customer: "Customer",
  reactions: "Reactions",
  reactionBy: "{{emoji}} from {{who}}",
  openImage: "Open image: {{name}}",
  closeImage: "Close image",
  imageViewer: "Image",
  title: { unread: "({{count}}) {{title}}" },
  empty: {
    inbox: "No conversations here. New WhatsApp messages appear here by themselves; try another view or status above.",
    search: "Nothing found for “{{q}}”. Search by name, number (also as 0151 …) or the text of messages and notes.",
    select: "Choose a conversation on the left. Press ? for keyboard shortcuts.",
  },
  match: { name: "Name", number: "Number", message: "Message", note: "Note" },
  notify: {
    title: "Notifications",
    help: "For new conversations and conversations assigned to you, in this browser.",
    sound: "Play a sound",
    desktop: "Desktop notification",
    denied: "The browser blocks notifications for this site; allow them in its site settings.",
    unsupported: "This browser has no desktop notifications.",
    newConversation: "New conversation: {{name}}",
    assigned: "Assigned to you: {{name}}",
  },
  shortcuts: {
    title: "Keyboard shortcuts",
    open: "Keyboard shortcuts",
    close: "Close",
    next: "Next conversation",
    previous: "Previous conversation",
    reply: "Write a reply",
    resolve: "Resolve the open conversation",
    search: "Search",
    help: "Show this help",
    note: "Shortcuts do nothing while you type in a field.",
  },
  roles: {
    title: "Roles",
    yours: "your role",
    agent: "Agent",
    lead: "Team lead",
    admin: "Administrator",
    explain: {
      agent: "Sees and answers the conversations of their teams and those assigned to them.",
      lead: "Everything an agent can, for their teams; reassigns conversations, sets vacation cover, sees team reports.",
      admin:
        "Manages users, roles, teams, channels, templates, retention, consent texts, the audit log and data-subject requests.",
    },
  },
  statuses: {
    title: "Conversation statuses",
    explain: {
      open: "Needs an answer from the team.",
      pending: "Waiting for the customer or for something else; stays in the list.",
      resolved: "Done. A new customer message opens it again.",
    },
  },
};

const de: typeof en = {
  menu: "Menü",
  closeMenu: "Menü schließen",
  absences: "Abwesenheiten",
  signedInAs: "Angemeldet als {{name}}",
  back: "Zurück zur Liste",
  backToThread: "Zurück zur Unterhaltung",
  contact: "Kontakt",
  moreActions: "Weitere Aktionen",
  today: "Heute",
  yesterday: "Gestern",
  automatic: "Automatisch",
  formerColleague: "Ehemalige:r Kolleg:in",
  customer: "Kund:in",
  reactions: "Reaktionen",
  reactionBy: "{{emoji}} von {{who}}",
  openImage: "Bild öffnen: {{name}}",
  closeImage: "Bild schließen",
  imageViewer: "Bild",
  title: { unread: "({{count}}) {{title}}" },
  empty: {
    inbox:
      "Hier sind keine Unterhaltungen. Neue WhatsApp-Nachrichten erscheinen hier von selbst; oben eine andere Ansicht oder einen anderen Status wählen.",
    search:
      "Nichts gefunden für „{{q}}“. Suchen Sie nach Name, Nummer (auch als 0151 …) oder dem Text von Nachrichten und Notizen.",
    select: "Wählen Sie links eine Unterhaltung. Mit ? sehen Sie die Tastenkürzel.",
  },
  match: { name: "Name", number: "Nummer", message: "Nachricht", note: "Notiz" },
  notify: {
    title: "Benachrichtigungen",
    help: "Bei neuen und Ihnen zugewiesenen Unterhaltungen, in diesem Browser.",
    sound: "Ton abspielen",
    desktop: "Desktop-Benachrichtigung",
    denied: "Der Browser blockiert Benachrichtigungen für diese Seite; erlauben Sie sie in den Website-Einstellungen.",
    unsupported: "Dieser Browser hat keine Desktop-Benachrichtigungen.",
    newConversation: "Neue Unterhaltung: {{name}}",
    assigned: "Ihnen zugewiesen: {{name}}",
  },
  shortcuts: {
    title: "Tastenkürzel",
    open: "Tastenkürzel",
    close: "Schließen",
    next: "Nächste Unterhaltung",
    previous: "Vorherige Unterhaltung",
    reply: "Antwort schreiben",
    resolve: "Offene Unterhaltung erledigen",
    search: "Suchen",
    help: "Diese Hilfe zeigen",
    note: "Während Sie in einem Feld schreiben, tun die Kürzel nichts.",
  },
  roles: {
    title: "Rollen",
    yours: "Ihre Rolle",
    agent: "Mitarbeiter:in",
    lead: "Teamleitung",
    admin: "Administration",
    explain: {
      agent: "Sieht und beantwortet die Unterhaltungen ihrer Teams und die ihr zugewiesenen.",
      lead: "Alles, was Mitarbeitende dürfen, für die eigenen Teams; weist neu zu, regelt Urlaubsvertretungen, sieht Team-Berichte.",
      admin:
        "Verwaltet Benutzer, Rollen, Teams, Kanäle, Vorlagen, Aufbewahrung, Einwilligungstexte, das Audit-Protokoll und Betroffenenanfragen.",
    },
  },
  statuses: {
    title: "Status von Unterhaltungen",
    explain: {
      open: "Braucht eine Antwort des Teams.",
      pending: "Wartet auf die Kund:in oder auf etwas anderes; bleibt in der Liste.",
      resolved: "Erledigt. Eine neue Nachricht der Kund:in öffnet sie wieder.",
    },
  },
};

export const SHELL_NS = "shell";
if (!i18n.hasResourceBundle("en", SHELL_NS)) {
  i18n.addResourceBundle("en", SHELL_NS, en);
  i18n.addResourceBundle("de", SHELL_NS, de);
}
