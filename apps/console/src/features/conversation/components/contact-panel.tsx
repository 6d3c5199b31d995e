import { useTranslation } from "react-i18next";
import type { ContactDetailsDto } from "@inbox/contracts";
import { formatDateTime } from "../../../lib/format";
import { COMPOSER_NS } from "../locale";

type Consent = ContactDetailsDto["consents"][number];

/** The evidence of a consent record in words: what the customer wrote, which WhatsApp control, which error. */
function Evidence({ consent }: { consent: Consent }) {
  const { t } = useTranslation();
  const e = consent.evidence;
  const str = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : null);
  let summary: string | null = null;
  if (consent.source === "chat_keyword" && str(e.text))
    summary = t("contact.evidence.keyword", { text: str(e.text)!.trim() });
  else if (consent.source === "whatsapp" && e.webhook === "user_preferences")
    summary = t("contact.evidence.whatsappStop");
  else if (consent.source === "whatsapp" && str(e.errorCode))
    summary = t("contact.evidence.error", { code: str(e.errorCode) });
  const entries = Object.entries(e).filter(([, v]) => v !== null && v !== undefined && v !== "");
  if (!summary && entries.length === 0) return null;
  return (
    <details className="evidence">
      <summary>{summary ?? t("contact.evidence.title")}</summary>
      <dl>
        {entries.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{str(v) ?? JSON.stringify(v)}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

/** The newest service consent is a withdrawal (records come newest first). */
function isServiceWithdrawn(details: ContactDetailsDto): boolean {
  return details.consents.find((c) => c.purpose === "service")?.status === "withdrawn";
}

export function ContactPanel({ details }: { details: ContactDetailsDto | undefined }) {
  const { t } = useTranslation();
  const { t: tx } = useTranslation(COMPOSER_NS);
  if (!details) return <aside className="contact-panel muted">{t("app.loading")}</aside>;
  const c = details.contact;
  return (
    <aside className="contact-panel" aria-label={t("contact.title")}>
      <h2>{c.displayName ?? c.profileName ?? c.username ?? "?"}</h2>
      <p>
        {t("contact.number")}: {c.waId ? `+${c.waId}` : (c.userId ?? "—")}
      </p>
      {details.isOptedOut && <p className="error">{t("contact.optedOut")}</p>}
      {!details.isOptedOut && isServiceWithdrawn(details) && (
        <p className="small muted" data-testid="replies-only">
          {tx("consent.repliesOnly")}
        </p>
      )}
      <h3>{t("contact.consents")}</h3>
      {details.consents.length === 0 ? (
        <p className="muted small">{t("contact.noConsents")}</p>
      ) : (
        <ul className="small">
          {details.consents.map((x, i) => (
            <li key={i}>
              {t(`contact.purpose.${x.purpose}`)}: {t(`contact.${x.status}`)} ({t(`contact.source.${x.source}`)},{" "}
              {formatDateTime(x.occurredAt)}){x.wordingText && <q> {x.wordingText}</q>}
              <Evidence consent={x} />
            </li>
          ))}
        </ul>
      )}
      {details.labels.length > 0 && (
        <p>
          {details.labels.map((l) => (
            <span key={l.id} className="label-chip" style={{ borderColor: l.color }}>
              {l.name}
            </span>
          ))}
        </p>
      )}
      <h3>{t("contact.past")}</h3>
      <ul className="small">
        {details.pastConversations.map((p) => (
          <li key={p.id}>
            <a href={`/c/${p.id}`}>{formatDateTime(p.createdAt, { dateStyle: "medium" })}</a> —{" "}
            {t(`inbox.status.${p.status}`)}
          </li>
        ))}
      </ul>
    </aside>
  );
}
