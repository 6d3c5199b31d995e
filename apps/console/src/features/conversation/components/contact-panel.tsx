import { useTranslation } from "react-i18next";
import type { ContactDetailsDto } from "@inbox/contracts";
import { formatDateTime } from "../../../lib/format";

export function ContactPanel({ details }: { details: ContactDetailsDto | undefined }) {
  const { t } = useTranslation();
  if (!details) return <aside className="contact-panel muted">{t("app.loading")}</aside>;
  const c = details.contact;
  return (
    <aside className="contact-panel" aria-label={t("contact.title")}>
      <h2>{c.displayName ?? c.profileName ?? c.username ?? "?"}</h2>
      <p>
        {t("contact.number")}: {c.waId ? `+${c.waId}` : (c.userId ?? "—")}
      </p>
      {details.isOptedOut && <p className="error">{t("contact.optedOut")}</p>}
      <h3>{t("contact.consents")}</h3>
      {details.consents.length === 0 ? (
        <p className="muted small">{t("contact.noConsents")}</p>
      ) : (
        <ul className="small">
          {details.consents.map((x, i) => (
            <li key={i}>
              {x.purpose}: {t(`contact.${x.status}`)} ({x.source}, {formatDateTime(x.occurredAt)})
              {x.wordingText && <q> {x.wordingText}</q>}
              {Object.keys(x.evidence).length > 0 && <code className="evidence">{JSON.stringify(x.evidence)}</code>}
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
            <a href={`/c/${p.id}`}>{formatDateTime(p.createdAt, { dateStyle: "medium" })}</a> — {t(`inbox.status.${p.status}`)}
          </li>
        ))}
      </ul>
    </aside>
  );
}
