/**
 * What agents read for inbound elements the inbox cannot show as they are: unsupported or unexpected messages, Meta's
 * errors on a customer's message, and WhatsApp's system notices. German first, then English, one per line (the
 * console shows the line of the agent's language; the API gives both). Meta's own code, title and details are kept
 * on the message (errorCode, errorTitle, errorDetails) and quoted here, so nothing Meta said is lost.
 */

/** One of Meta's `errors[]` entries, read leniently (a field Meta leaves out stays null). */
export interface ElementError {
  code: number | null;
  title: string | null;
  details: string | null;
}

interface Bilingual {
  de: string;
  en: string;
}

/** Meta's codes that arrive with a customer's message or a change value, in words an agent can act on. */
const INBOUND_ERROR_REASONS: Record<number, Bilingual> = {
  131051: {
    de: "Diesen Nachrichtentyp gibt WhatsApp nicht an die Cloud API weiter. Bitten Sie den Kunden, den Inhalt als Text, Bild oder Dokument zu senden.",
    en: "WhatsApp does not pass this message type on to the Cloud API. Ask the customer to send the content as text, an image or a document.",
  },
  131060: {
    de: "Die Nachricht ist bei Meta derzeit nicht verfügbar (häufig die erste Nachricht nach einer Werbeanzeige an eine Nummer, die auch die WhatsApp-Business-App nutzt). Bitten Sie den Kunden, sie erneut zu senden.",
    en: "The message is currently unavailable at Meta (often the first message after an ad, to a number also used in the WhatsApp Business app). Ask the customer to send it again.",
  },
  131000: {
    de: "Meta konnte die Nachricht wegen eines unbekannten Fehlers nicht verarbeiten. Bitten Sie den Kunden, sie erneut zu senden.",
    en: "Meta could not process the message because of an unknown error. Ask the customer to send it again.",
  },
  131052: {
    de: "Die Datei des Kunden konnte nicht geladen werden (z. B. größer als 100 MB). Bitten Sie um eine kleinere Datei.",
    en: "The customer's file could not be downloaded (e.g. larger than 100 MB). Ask for a smaller file.",
  },
  130429: {
    de: "Meta meldet, dass der Durchsatz dieser Nummer erreicht ist.",
    en: "Meta reports that this number's throughput limit was reached.",
  },
};

const GENERIC_ERROR: Bilingual = { de: "Meta meldet einen Fehler.", en: "Meta reports an error." };

const join = (parts: Bilingual[]): string => `${parts.map((p) => p.de).join(" ")}\n${parts.map((p) => p.en).join(" ")}`;

/** One error in words: our explanation, then Meta's code, title and details as Meta sent them. */
function explainError(error: ElementError): Bilingual {
  const reason = (error.code !== null && INBOUND_ERROR_REASONS[error.code]) || GENERIC_ERROR;
  const meta = [error.title, error.details].filter(Boolean).join(" – ");
  const quote = `(Meta${error.code !== null ? ` ${error.code}` : ""}${meta ? `: ${meta}` : ""})`;
  return { de: `${reason.de} ${quote}`, en: `${reason.en} ${quote}` };
}

export type UnsupportedKind =
  /** Meta's own `unsupported` (or legacy `unknown`) type */
  | "unsupported_type"
  /** a type Meta added that the inbox does not know yet */
  | "unknown_type"
  /** a known type whose content is missing or not as documented */
  | "unexpected_content"
  /** Meta reported errors for the message */
  | "meta_errors";

/** The text of a message shown as `unsupported`. */
export function explainUnsupported(input: { kind: UnsupportedKind; type: string; errors: ElementError[] }): string {
  const t = input.type;
  const head: Record<UnsupportedKind, Bilingual> = {
    unsupported_type: {
      de: `Nicht unterstützte Nachricht${t && t !== "unsupported" && t !== "unknown" ? ` (${t})` : ""}.`,
      en: `Unsupported message${t && t !== "unsupported" && t !== "unknown" ? ` (${t})` : ""}.`,
    },
    unknown_type: {
      de: `Nachricht vom Typ „${t}“, den der Posteingang noch nicht anzeigen kann. Der Inhalt ist gespeichert.`,
      en: `Message of type "${t}", which the inbox cannot show yet. Its content is stored.`,
    },
    unexpected_content: {
      de: `Nachricht vom Typ „${t}“ mit unerwartetem Inhalt, den der Posteingang nicht anzeigen kann. Der Inhalt ist gespeichert.`,
      en: `Message of type "${t}" with content the inbox cannot show. Its content is stored.`,
    },
    meta_errors: {
      de: "Meta hat diese Nachricht des Kunden nicht vollständig übermittelt.",
      en: "Meta did not pass this message from the customer on in full.",
    },
  };
  return join([head[input.kind], ...input.errors.map(explainError)]);
}

export type SystemNotice =
  | { type: "user_changed_number"; newWaId: string | null }
  | { type: "user_changed_user_id" }
  | { type: string; body: string | null };

/** The system line of a WhatsApp system message (identity events and anything else Meta reports this way). */
export function explainSystem(notice: SystemNotice): string {
  if (notice.type === "user_changed_number") {
    const waId = "newWaId" in notice && notice.newWaId ? ` (+${notice.newWaId})` : "";
    return join([
      {
        de: `Der Kunde hat seine WhatsApp-Nummer geändert${waId ? `; neue Nummer${waId}` : ""}. Der Verlauf bleibt erhalten.`,
        en: `The customer changed their WhatsApp number${waId ? `; new number${waId}` : ""}. The history is kept.`,
      },
    ]);
  }
  if (notice.type === "user_changed_user_id") {
    return join([
      {
        de: "Die WhatsApp-Nutzer-ID (BSUID) des Kunden hat sich geändert. Der Verlauf bleibt erhalten.",
        en: "The customer's WhatsApp user ID (BSUID) changed. The history is kept.",
      },
    ]);
  }
  const body = "body" in notice && notice.body ? `: ${notice.body}` : ".";
  return join([
    {
      de: `Systemhinweis von WhatsApp (${notice.type})${body}`,
      en: `System notice from WhatsApp (${notice.type})${body}`,
    },
  ]);
}

/**
 * What an understood message without text of its own is called (a photo without caption, a voice message, a removed
 * reaction …), so that every inbound message has a text to show and to preview: "Deutsch / English".
 */
export function labelWithoutText(type: string, details: { isVoice?: boolean; itemCount?: number } = {}): string | null {
  const labels: Record<string, [string, string]> = {
    image: ["Bild", "Image"],
    video: ["Video", "Video"],
    audio: details.isVoice ? ["Sprachnachricht", "Voice message"] : ["Audiodatei", "Audio file"],
    document: ["Dokument", "Document"],
    sticker: ["Sticker", "Sticker"],
    location: ["Standort", "Location"],
    contacts: ["Kontakt", "Contact"],
    interactive: ["Interaktive Antwort", "Interactive reply"],
    reaction: ["Reaktion entfernt", "Reaction removed"],
    order: [`Bestellung (${details.itemCount ?? 0} Artikel)`, `Order (${details.itemCount ?? 0} items)`],
  };
  const label = labels[type];
  return label ? `${label[0]} / ${label[1]}` : null;
}
