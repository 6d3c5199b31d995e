import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { privacyApi, recordLanguageOf } from "../api";
import { PRIVACY_NS } from "../locale";

/** Where the data lives: DATA_REGION, the media store, and Meta's local storage per number as Meta reports it now. */
export function DataRegionPanel() {
  const { t, i18n } = useTranslation(PRIVACY_NS);
  const lang = recordLanguageOf(i18n.language);
  const record = useQuery({ queryKey: ["processing-record", lang], queryFn: () => privacyApi.processingRecord(lang) });
  if (record.isPending) return <p>{t("loading")}</p>;
  if (record.isError) return <p role="alert">{t("error", { message: record.error.message })}</p>;
  const r = record.data;
  return (
    <section aria-labelledby="region-title">
      <h2 id="region-title">{t("tabs.region")}</h2>
      <dl>
        <dt>{t("region.database")}</dt>
        <dd data-testid="data-region">{r.dataRegion}</dd>
        <dt>{t("region.media")}</dt>
        <dd>{r.mediaStore.location}</dd>
      </dl>
      <table>
        <thead>
          <tr>
            <th>{t("region.channel")}</th>
            <th>{t("region.localStorage")}</th>
            <th>{t("region.declared")}</th>
          </tr>
        </thead>
        <tbody>
          {r.channels.map((c) => (
            <tr key={c.channelId}>
              <td>{c.name}</td>
              <td>
                {c.type === "webchat"
                  ? t("region.webchat")
                  : t(`region.status.${c.localStorage}`, { region: c.localStorageRegion ?? "" })}
              </td>
              <td>{c.declaredRegion ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">{t("region.covers")}</p>
    </section>
  );
}
