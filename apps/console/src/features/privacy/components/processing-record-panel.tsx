import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../../lib/format";
import { privacyApi, recordLanguageOf } from "../api";
import { PRIVACY_NS } from "../locale";

/** Art. 30 record of processing activities, generated from the live configuration, with a Markdown download. */
export function ProcessingRecordPanel() {
  const { t, i18n } = useTranslation(PRIVACY_NS);
  const lang = recordLanguageOf(i18n.language);
  const record = useQuery({ queryKey: ["processing-record", lang], queryFn: () => privacyApi.processingRecord(lang) });
  if (record.isPending) return <p>{t("loading")}</p>;
  if (record.isError) return <p role="alert">{t("error", { message: record.error.message })}</p>;
  const r = record.data;
  const sections = [r.purposes, r.dataSubjects, r.dataCategories, r.recipients, r.retention, r.measures];
  return (
    <section aria-labelledby="record-title">
      <h2 id="record-title">{t("tabs.record")}</h2>
      <p className="muted">{t("record.intro", { at: formatDateTime(r.generatedAt) })}</p>
      <p>
        <a href={privacyApi.processingRecordMarkdownUrl(lang)} download>
          {t("record.download")}
        </a>
      </p>
      {sections.map((s) => (
        <section key={s.title} aria-label={s.title}>
          <h3>{s.title}</h3>
          <ul>
            {s.items.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}
