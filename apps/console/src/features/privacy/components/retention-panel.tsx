import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  RETENTION_CATEGORIES,
  type RetentionCategory,
  type RetentionPoliciesDto,
  type RetentionPolicyInput,
} from "@inbox/contracts";
import { ApiError } from "../../../lib/http";
import { formatDateTime } from "../../../lib/format";
import { useChannels, useLabels } from "../../inbox/hooks/use-directory";
import { privacyApi } from "../api";
import { PRIVACY_NS } from "../locale";

interface Row {
  key: number;
  category: RetentionCategory;
  days: string;
  channelId: string;
  labelId: string;
}

let nextKey = 0;

/** Löschfristen: one general row per category (its default until changed) plus rules per channel or label. */
export function RetentionPanel() {
  const { t } = useTranslation(PRIVACY_NS);
  const query = useQuery({ queryKey: ["retention-policies"], queryFn: privacyApi.retention });
  // Kept here: a save replaces the editor below.
  const [isSaved, setSaved] = useState(false);
  if (query.isPending) return <p className="muted">{t("loading")}</p>;
  if (query.isError)
    return (
      <p role="alert" className="error">
        {t("error", { message: query.error.message })}
      </p>
    );
  // Saved data replaces the editor (new key), so its rows always start from what the server holds.
  return (
    <RetentionEditor
      key={JSON.stringify(query.data.policies)}
      data={query.data}
      isSaved={isSaved}
      setSaved={setSaved}
    />
  );
}

function RetentionEditor({
  data,
  isSaved,
  setSaved,
}: {
  data: RetentionPoliciesDto;
  isSaved: boolean;
  setSaved: (saved: boolean) => void;
}) {
  const { t } = useTranslation(PRIVACY_NS);
  const client = useQueryClient();
  const channels = useChannels();
  const labels = useLabels();
  const [rows, setRows] = useState<Row[]>(() =>
    data.policies.map((p) => ({
      key: nextKey++,
      category: p.category,
      days: String(p.days),
      channelId: p.channelId ?? "",
      labelId: p.labelId ?? "",
    })),
  );
  const [below, setBelow] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (confirm: boolean) =>
      privacyApi.saveRetention({
        policies: rows.map((r): RetentionPolicyInput => ({
          category: r.category,
          days: Number(r.days),
          ...(r.channelId ? { channelId: r.channelId } : {}),
          ...(r.labelId ? { labelId: r.labelId } : {}),
        })),
        ...(confirm ? { confirm: true } : {}),
      }),
    onSuccess: (saved) => {
      setBelow(null);
      setSaved(true);
      client.setQueryData(["retention-policies"], saved);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === "confirmation_required") {
        const min = (c: RetentionCategory) => data.categories.find((x) => x.category === c)?.minimumDays ?? 0;
        setBelow(
          rows
            .filter((r) => Number(r.days) < min(r.category))
            .map((r) => `${t(`categories.${r.category}`)}: ${r.days} < ${min(r.category)}`)
            .join("; "),
        );
      }
    },
  });
  const info = (c: RetentionCategory) => data.categories.find((x) => x.category === c)!;
  const update = (key: number, patch: Partial<Row>) => {
    setSaved(false);
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  };
  const isGeneral = (r: Row) => !r.channelId && !r.labelId;
  return (
    <section aria-labelledby="retention-title">
      <h2 id="retention-title">{t("tabs.retention")}</h2>
      <p className="muted">{t("retention.intro")}</p>
      <p className="small">
        {data.lastRun
          ? t("retention.lastRun", { at: formatDateTime(data.lastRun.startedAt) })
          : t("retention.neverRun")}
      </p>
      <div style={{ overflowX: "auto" }}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t("retention.category")}</th>
              <th scope="col">{t("retention.scope")}</th>
              <th scope="col">{t("retention.days")}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} data-testid={`retention-${r.category}${isGeneral(r) ? "" : "-rule"}`}>
                <td>
                  {isGeneral(r) ? (
                    t(`categories.${r.category}`)
                  ) : (
                    <select
                      aria-label={t("retention.category")}
                      value={r.category}
                      onChange={(e) =>
                        update(r.key, { category: e.target.value as RetentionCategory, labelId: "", channelId: "" })
                      }
                    >
                      {RETENTION_CATEGORIES.filter((c) => info(c).perChannel).map((c) => (
                        <option key={c} value={c}>
                          {t(`categories.${c}`)}
                        </option>
                      ))}
                    </select>
                  )}
                  <div className="small muted">
                    {t("retention.defaultMin", { d: info(r.category).defaultDays, m: info(r.category).minimumDays })}
                  </div>
                </td>
                <td>
                  {isGeneral(r) && data.policies.some((p) => p.category === r.category && p.isDefault)
                    ? `${t("retention.everything")} (${t("retention.isDefault")})`
                    : null}
                  {isGeneral(r) && !data.policies.some((p) => p.category === r.category && p.isDefault)
                    ? t("retention.everything")
                    : null}
                  {!isGeneral(r) && (
                    <span className="row">
                      <select
                        aria-label={t("retention.channel")}
                        value={r.channelId}
                        onChange={(e) => update(r.key, { channelId: e.target.value })}
                      >
                        <option value="">{t("retention.channel")}: —</option>
                        {channels.data?.items.map((c) => (
                          <option key={c.id} value={c.id}>
                            {c.name}
                          </option>
                        ))}
                      </select>
                      {info(r.category).perLabel && (
                        <select
                          aria-label={t("retention.label")}
                          value={r.labelId}
                          onChange={(e) => update(r.key, { labelId: e.target.value })}
                        >
                          <option value="">{t("retention.label")}: —</option>
                          {labels.data?.items.map((l) => (
                            <option key={l.id} value={l.id}>
                              {l.name}
                            </option>
                          ))}
                        </select>
                      )}
                    </span>
                  )}
                </td>
                <td>
                  <input
                    type="number"
                    min={0}
                    max={36500}
                    required
                    style={{ width: "6rem" }}
                    aria-label={`${t(`categories.${r.category}`)}: ${t("retention.days")}`}
                    value={r.days}
                    onChange={(e) => update(r.key, { days: e.target.value })}
                  />
                </td>
                <td>
                  {!isGeneral(r) && (
                    <button type="button" onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}>
                      {t("retention.remove")}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="inline-form">
        <button
          type="button"
          onClick={() =>
            setRows((rs) => [...rs, { key: nextKey++, category: "messages", days: "365", channelId: "", labelId: "" }])
          }
        >
          {t("retention.add")}
        </button>
        <button type="button" disabled={save.isPending} onClick={() => save.mutate(false)}>
          {t("retention.save")}
        </button>
      </div>
      {below && (
        <div role="alertdialog" aria-labelledby="below-title" className="card">
          <h3 id="below-title">{t("retention.confirmTitle")}</h3>
          <p>{t("retention.confirmText", { list: below })}</p>
          <div className="row">
            <button type="button" onClick={() => save.mutate(true)}>
              {t("retention.confirm")}
            </button>
            <button type="button" onClick={() => setBelow(null)}>
              {t("retention.cancel")}
            </button>
          </div>
        </div>
      )}
      {isSaved && <p role="status">{t("retention.saved")}</p>}
      {save.isError && !below && (
        <p role="alert" className="error">
          {save.error.message}
        </p>
      )}
    </section>
  );
}
