import type { ProcessingRecordLanguage, RetentionCategory } from "@inbox/contracts";

/** Every sentence of the Art. 30 record, in German and English; the record and its Markdown are built from these. */
interface ProcessingRecordTexts {
  title: string;
  generated: (at: string) => string;
  dataRegionTitle: string;
  databaseAndMedia: (region: string, media: string) => string;
  mediaLocal: string;
  mediaS3: (host: string, region: string) => string;
  whatsAppChannel: (name: string, storage: string, region: string | null, declared: string | null) => string;
  webchatChannel: (name: string) => string;
  localStorage: { enabled: string; disabled: string; unknown: string };
  localStorageCovers: string;
  purposes: {
    title: string;
    service: string;
    notifications: string;
    marketing: string;
    archive: string;
    proof: string;
  };
  dataSubjects: { title: string; whatsApp: string; webchat: string; employees: string };
  dataCategories: {
    title: string;
    customers: string;
    content: string;
    consents: string;
    webchat: string;
    employees: string;
  };
  recipients: { title: string; meta: string; mediaStore: (location: string) => string; none: string };
  retention: {
    title: string;
    categories: Record<RetentionCategory, string>;
    days: (n: number) => string;
    channel: (name: string) => string;
    label: (name: string) => string;
    isDefault: string;
  };
  measures: { title: string; region: (region: string) => string; items: string[] };
}

const EN: ProcessingRecordTexts = {
  title: "Record of processing activities (Art. 30 GDPR)",
  generated: (at) =>
    `Generated ${at} from the live configuration of the inbox. Controller, data-protection officer\nand hosting are to be added by the operator.`,
  dataRegionTitle: "Data region",
  databaseAndMedia: (region, media) => `Database and media store: ${region} (media: ${media})`,
  mediaLocal: "local disk of the server running the product",
  mediaS3: (host, region) => `S3-compatible bucket at ${host} (region ${region})`,
  whatsAppChannel: (name, storage, region, declared) =>
    `${name} (WhatsApp): Meta local storage ${storage}${region ? ` in ${region}` : ""}` +
    `${declared ? `; registered for ${declared}` : ""}`,
  webchatChannel: (name) => `${name} (web chat): stored only in this installation`,
  localStorage: { enabled: "enabled", disabled: "not enabled", unknown: "could not be read" },
  localStorageCovers:
    "Meta's local storage keeps message content at rest in the region after about 60 minutes; it does not cover all " +
    "metadata, and messages pass through Meta's global infrastructure in transit.",
  purposes: {
    title: "Purposes of the processing",
    service: "Answering customer enquiries and providing customer service over the connected channels",
    notifications:
      "Sending service messages and notifications the customer asked for (template messages of category utility/authentication)",
    marketing: "Sending marketing messages to customers who opted in (consent record kept)",
    archive: "Keeping a central archive of customer communication instead of employees' phones",
    proof: "Proving consent, opt-outs and what was done on data-subject requests; security of the service (audit log)",
  },
  dataSubjects: {
    title: "Categories of data subjects",
    whatsApp: "Customers and prospects who write to or are written to on WhatsApp",
    webchat: "Website visitors who use the web chat",
    employees: "Employees using the inbox (agents, team leads, admins)",
  },
  dataCategories: {
    title: "Categories of personal data",
    customers: "Customers: phone number / WhatsApp id, profile name, name set by an agent, labels",
    content: "Message content (text, media files, locations, contacts shared), delivery and read status",
    consents:
      "Consent records with the wording shown and evidence (message, form, IP address and browser for the web chat)",
    webchat: "Web chat visitors: a random visitor id, optionally name and e-mail they enter",
    employees:
      "Employees: name, e-mail, role, team memberships, sign-in times and IP addresses, actions in the audit log",
  },
  recipients: {
    title: "Recipients and transfers",
    meta:
      "Meta Platforms Ireland Ltd. as processor for the WhatsApp Business Platform (Cloud API); transfers to the " +
      "USA on the EU-US Data Privacy Framework and standard contractual clauses (Meta's data processing terms)",
    mediaStore: (location) => `The operator of the media storage: ${location}`,
    none: "No other recipients by the product; hosting, backups and e-mail are the operator's own processors",
  },
  retention: {
    title: "Retention periods (Löschfristen)",
    categories: {
      messages: "Messages and their conversation, counted from the conversation's resolution",
      media: "Media files, counted from when they were received or sent",
      contacts: "Contacts without a conversation for",
      webhook_payloads: "Raw webhook payloads and unmatched status reports",
      sessions: "Expired sessions and unused web chat → WhatsApp handoffs, after expiry",
      outbox: "Job queue entries already handed to the queue",
    },
    days: (n) => `${n} days`,
    channel: (name) => `channel ${name}`,
    label: (name) => `label ${name}`,
    isDefault: "default",
  },
  measures: {
    title: "Technical and organisational measures provided by the product",
    region: (region) => `Data region: database and media store declared in ${region}`,
    items: [
      "Access control: roles (agent, team lead, admin); agents see only their teams' conversations",
      "Authentication: passwords hashed with argon2id, account lockout, optional or mandatory TOTP second factor",
      "Append-only audit log, enforced by the database (no update, delete or truncate)",
      "Webhook deliveries verified by their HMAC signature before anything is stored",
      "Deletion schedules per category; legal holds; data-subject export and erasure with suppression of the number",
    ],
  },
};

const DE: ProcessingRecordTexts = {
  title: "Verzeichnis von Verarbeitungstätigkeiten (Art. 30 DSGVO)",
  generated: (at) =>
    `Erstellt am ${at} aus der aktuellen Konfiguration des Posteingangs. Verantwortlicher,\nDatenschutzbeauftragter und Hosting sind vom Betreiber zu ergänzen.`,
  dataRegionTitle: "Datenstandort",
  databaseAndMedia: (region, media) => `Datenbank und Medienspeicher: ${region} (Medien: ${media})`,
  mediaLocal: "lokale Festplatte des Servers, auf dem das Produkt läuft",
  mediaS3: (host, region) => `S3-kompatibler Speicher bei ${host} (Region ${region})`,
  whatsAppChannel: (name, storage, region, declared) =>
    `${name} (WhatsApp): lokale Speicherung bei Meta ${storage}${region ? ` in ${region}` : ""}` +
    `${declared ? `; registriert für ${declared}` : ""}`,
  webchatChannel: (name) => `${name} (Web-Chat): nur in dieser Installation gespeichert`,
  localStorage: { enabled: "aktiv", disabled: "nicht aktiv", unknown: "nicht abrufbar" },
  localStorageCovers:
    "Die lokale Speicherung bei Meta hält Nachrichteninhalte nach etwa 60 Minuten nur noch in der Region vor; sie " +
    "umfasst nicht alle Metadaten, und bei der Übertragung laufen Nachrichten über die weltweite Infrastruktur von Meta.",
  purposes: {
    title: "Zwecke der Verarbeitung",
    service: "Beantwortung von Kundenanfragen und Kundenservice über die angebundenen Kanäle",
    notifications:
      "Versand von Servicenachrichten und Benachrichtigungen, die der Kunde angefordert hat (Vorlagen der Kategorien Utility/Authentifizierung)",
    marketing: "Versand von Werbenachrichten an Kunden, die eingewilligt haben (mit Nachweis der Einwilligung)",
    archive: "Zentrales Archiv der Kundenkommunikation statt auf den Diensthandys der Beschäftigten",
    proof:
      "Nachweis von Einwilligungen, Widersprüchen und der Bearbeitung von Betroffenenanfragen; Sicherheit des Dienstes (Audit-Log)",
  },
  dataSubjects: {
    title: "Kategorien betroffener Personen",
    whatsApp: "Kunden und Interessenten, die über WhatsApp schreiben oder angeschrieben werden",
    webchat: "Besucher der Website, die den Web-Chat nutzen",
    employees: "Beschäftigte, die den Posteingang nutzen (Agenten, Teamleitungen, Administratoren)",
  },
  dataCategories: {
    title: "Kategorien personenbezogener Daten",
    customers: "Kunden: Telefonnummer / WhatsApp-ID, Profilname, von Agenten vergebener Name, Labels",
    content: "Nachrichteninhalte (Text, Mediendateien, geteilte Standorte und Kontakte), Zustell- und Lesestatus",
    consents:
      "Einwilligungen mit dem angezeigten Wortlaut und Nachweis (Nachricht, Formular, IP-Adresse und Browser beim Web-Chat)",
    webchat: "Web-Chat-Besucher: eine zufällige Besucher-ID, optional selbst eingegebener Name und E-Mail-Adresse",
    employees:
      "Beschäftigte: Name, E-Mail-Adresse, Rolle, Teamzugehörigkeit, Anmeldezeiten und IP-Adressen, Aktionen im Audit-Log",
  },
  recipients: {
    title: "Empfänger und Übermittlungen in Drittländer",
    meta:
      "Meta Platforms Ireland Ltd. als Auftragsverarbeiter für die WhatsApp Business Platform (Cloud API); Übermittlung " +
      "in die USA auf Grundlage des EU-US Data Privacy Framework und der Standardvertragsklauseln (Auftragsverarbeitungsbedingungen von Meta)",
    mediaStore: (location) => `Der Betreiber des Medienspeichers: ${location}`,
    none: "Keine weiteren Empfänger durch das Produkt; Hosting, Datensicherung und E-Mail sind eigene Auftragsverarbeiter des Betreibers",
  },
  retention: {
    title: "Löschfristen",
    categories: {
      messages: "Nachrichten und ihre Konversation, gerechnet ab Abschluss der Konversation",
      media: "Mediendateien, gerechnet ab Empfang bzw. Versand",
      contacts: "Kontakte, die so lange keine Konversation hatten",
      webhook_payloads: "Rohdaten von Webhooks und nicht zugeordnete Statusmeldungen",
      sessions: "Abgelaufene Sitzungen und nicht genutzte Übergaben vom Web-Chat zu WhatsApp, gerechnet ab Ablauf",
      outbox: "Einträge der Auftragswarteschlange, nachdem sie übergeben wurden",
    },
    days: (n) => `${n} Tage`,
    channel: (name) => `Kanal ${name}`,
    label: (name) => `Label ${name}`,
    isDefault: "Standard",
  },
  measures: {
    title: "Technische und organisatorische Maßnahmen des Produkts",
    region: (region) => `Datenstandort: Datenbank und Medienspeicher in ${region} angegeben`,
    items: [
      "Zugriffskontrolle: Rollen (Agent, Teamleitung, Administrator); Agenten sehen nur die Konversationen ihrer Teams",
      "Authentifizierung: Passwörter mit argon2id gehasht, Sperre nach Fehlversuchen, optionaler oder verpflichtender zweiter Faktor (TOTP)",
      "Audit-Log nur zum Anfügen, von der Datenbank durchgesetzt (kein Ändern, Löschen oder Leeren)",
      "Webhook-Zustellungen werden vor jeder Speicherung an ihrer HMAC-Signatur geprüft",
      "Löschfristen je Kategorie; Aufbewahrungspflichten (Legal Hold); Auskunft und Löschung für Betroffene mit Sperrvermerk der Nummer",
    ],
  },
};

export const PROCESSING_RECORD_TEXTS: Record<ProcessingRecordLanguage, ProcessingRecordTexts> = { de: DE, en: EN };
