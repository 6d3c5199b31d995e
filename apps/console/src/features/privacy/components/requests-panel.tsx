import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../../lib/http";
import { formatDateTime } from "../../../lib/format";
import { privacyApi } from "../api";
import { PRIVACY_NS } from "../locale";

/** Art. 15 export and Art. 17 erasure of a contact, with the list of past requests and their results. */
export function RequestsPanel() {
  const { t } = useTranslation(PRIVACY_NS);
  const client = useQueryClient();
  const requests = useQuery({ queryKey: ["dsr"], queryFn: privacyApi.requests });
  const create = useMutation({
    mutationFn: privacyApi.createRequest,
    onSettled: () => void client.invalidateQueries({ queryKey: ["dsr"] }),
  });
  const [form, setForm] = useState<{ contactId: string; type: "export" | "erasure" }>({
    contactId: "",
    type: "export",
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (form.type === "erasure" && !window.confirm(t("requests.confirmErase"))) return;
    create.mutate({ contactId: form.contactId.trim(), type: form.type });
  };
  const errorText =
    create.error instanceof ApiError && create.error.code === "legal_hold" ? t("requests.held") : create.error?.message;
  return (
    <section aria-labelledby="dsr-title">
      <h2 id="dsr-title">{t("tabs.requests")}</h2>
      <p className="muted">{t("requests.intro")}</p>
      <form className="inline-form" onSubmit={submit}>
        <input
          aria-label={t("requests.contactId")}
          placeholder={t("requests.contactId")}
          required
          style={{ minWidth: "18rem" }}
          value={form.contactId}
          onChange={(e) => setForm({ ...form, contactId: e.target.value })}
        />
        <select
          aria-label={t("requests.type")}
          value={form.type}
          onChange={(e) => setForm({ ...form, type: e.target.value as "export" | "erasure" })}
        >
          <option value="export">{t("requests.export")}</option>
          <option value="erasure">{t("requests.erasure")}</option>
        </select>
        <button type="submit" disabled={create.isPending}>
          {t("requests.submit")}
        </button>
      </form>
      {create.isPending && <p className="muted">{t("loading")}</p>}
      {errorText && (
        <p role="alert" className="error">
          {errorText}
        </p>
      )}
      {requests.isPending && <p className="muted">{t("loading")}</p>}
      {requests.isError && (
        <p role="alert" className="error">
          {t("error", { message: requests.error.message })}
        </p>
      )}
      {requests.data?.items.length === 0 && <p className="muted">{t("requests.empty")}</p>}
      {!!requests.data?.items.length && (
        <div style={{ overflowX: "auto" }}>
          <table data-testid="dsr-table">
            <thead>
              <tr>
                <th scope="col">{t("requests.created")}</th>
                <th scope="col">{t("requests.type")}</th>
                <th scope="col">{t("holds.id")}</th>
                <th scope="col">{t("requests.report")}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {requests.data.items.map((r) => (
                <tr key={r.id} data-status={r.status}>
                  <td>{formatDateTime(r.createdAt)}</td>
                  <td>{t(`requests.${r.type}`)}</td>
                  <td className="small">{r.contactId ?? "—"}</td>
                  <td className="small">
                    {t(`requests.status.${r.status}`)}{" "}
                    <code style={{ wordBreak: "break-all" }}>
                      {Object.entries(r.report)
                        .filter(([, v]) => typeof v === "number" || typeof v === "boolean" || typeof v === "string")
                        .map(([k, v]) => `${k}: ${String(v)}`)
                        .join(", ")}
                    </code>
                  </td>
                  <td>
                    {r.hasDownload && (
                      <a href={privacyApi.downloadUrl(r.id)} download>
                        {t("requests.download")}
                      </a>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
