import i18n from "../../i18n";

/** Texts of the admins' queue view, in their own i18next namespace ("queues"). */
const en = {
  tab: "Queues",
  intro:
    "Background jobs: sending, media downloads, routing, maintenance. A failed job ran out of attempts; retrying it is safe — a message already sent is never sent again.",
  queue: "Queue",
  names: { outbound: "Sending", inbound: "Incoming (media, routing)", maintenance: "Maintenance" },
  waiting: "Waiting",
  active: "Running",
  delayed: "Delayed",
  failed: "Failed",
  completed: "Completed",
  oldest: "Oldest waiting",
  none: "—",
  seconds: "{{count}} s",
  minutes: "{{count}} min",
  hours: "{{count}} h",
  show: "Show failed jobs",
  failedOf: "Failed jobs: {{queue}}",
  empty: "No failed jobs.",
  job: "Job",
  reason: "Reason",
  attempts: "Attempts",
  failedAt: "Failed at",
  retry: "Retry",
  retryAll: "Retry all failed",
  remove: "Remove",
  confirmRemove: "Remove this job for good? It will not run again.",
  retried: "{{count}} job(s) queued again.",
  refresh: "Refresh",
  error: "That did not work: {{message}}",
};

const de: typeof en = {
  tab: "Warteschlangen",
  intro:
    "Hintergrundaufgaben: Versand, Medien-Downloads, Zuweisung, Wartung. Eine fehlgeschlagene Aufgabe hat alle Versuche verbraucht; sie erneut zu starten ist sicher — eine bereits gesendete Nachricht wird nie ein zweites Mal gesendet.",
  queue: "Warteschlange",
  names: { outbound: "Versand", inbound: "Eingang (Medien, Zuweisung)", maintenance: "Wartung" },
  waiting: "Wartend",
  active: "Laufend",
  delayed: "Verzögert",
  failed: "Fehlgeschlagen",
  completed: "Erledigt",
  oldest: "Älteste wartende",
  none: "—",
  seconds: "{{count}} s",
  minutes: "{{count}} Min.",
  hours: "{{count}} Std.",
  show: "Fehlgeschlagene zeigen",
  failedOf: "Fehlgeschlagene Aufgaben: {{queue}}",
  empty: "Keine fehlgeschlagenen Aufgaben.",
  job: "Aufgabe",
  reason: "Grund",
  attempts: "Versuche",
  failedAt: "Fehlgeschlagen am",
  retry: "Erneut starten",
  retryAll: "Alle fehlgeschlagenen erneut starten",
  remove: "Entfernen",
  confirmRemove: "Diese Aufgabe endgültig entfernen? Sie läuft dann nicht mehr.",
  retried: "{{count}} Aufgabe(n) wieder eingereiht.",
  refresh: "Aktualisieren",
  error: "Das hat nicht geklappt: {{message}}",
};

export const QUEUES_NS = "queues";
if (!i18n.hasResourceBundle("en", QUEUES_NS)) {
  i18n.addResourceBundle("en", QUEUES_NS, en);
  i18n.addResourceBundle("de", QUEUES_NS, de);
}
