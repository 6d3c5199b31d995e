import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../../lib/format";
import { privacyApi } from "../api";
import { PRIVACY_NS } from "../locale";

/** Aufbewahrungspflichten: place a hold on a conversation or contact with a reason; release it. */
export function LegalHoldsPanel() {
  const { t } = useTranslation(PRIVACY_NS);
  const client = useQueryClient();
  const holds = useQuery({ queryKey: ["legal-holds"], queryFn: privacyApi.holds });
  const refresh = () => void client.invalidateQueries({ queryKey: ["legal-holds"] });
  const place = useMutation({ mutationFn: privacyApi.placeHold, onSuccess: refresh });
  const release = useMutation({ mutationFn: privacyApi.releaseHold, onSuccess: refresh });
  const [form, setForm] = useState({ kind: "conversation", id: "", reason: "" });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    place.mutate(
      form.kind === "conversation"
        ? { conversationId: form.id.trim(), reason: form.reason }
        : { contactId: form.id.trim(), reason: form.reason },
      { onSuccess: () => setForm({ ...form, id: "", reason: "" }) },
    );
  };
  return (
    <section aria-labelledby="holds-title">
      <h2 id="holds-title">{t("tabs.holds")}</h2>
      <p className="muted">{t("holds.intro")}</p>
      {holds.isPending && <p className="muted">{t("loading")}</p>}
      {holds.isError && (
        <p role="alert" className="error">
          {t("error", { message: holds.error.message })}
        </p>
      )}
      {holds.data?.items.length === 0 && <p className="muted">{t("holds.empty")}</p>}
      {!!holds.data?.items.length && (
        <div style={{ overflowX: "auto" }}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("holds.kind")}</th>
                <th scope="col">{t("holds.id")}</th>
                <th scope="col">{t("holds.reason")}</th>
                <th scope="col">{t("holds.since")}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {holds.data.items.map((h) => (
                <tr key={h.id}>
                  <td>{h.conversationId ? t("holds.conversation") : t("holds.contact")}</td>
                  <td className="small">{h.conversationId ?? h.contactId}</td>
                  <td>{h.reason}</td>
                  <td>{formatDateTime(h.createdAt)}</td>
                  <td>
                    <button type="button" onClick={() => release.mutate(h.id)}>
                      {t("holds.release")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className="inline-form" onSubmit={submit}>
        <select
          aria-label={t("holds.kind")}
          value={form.kind}
          onChange={(e) => setForm({ ...form, kind: e.target.value })}
        >
          <option value="conversation">{t("holds.conversation")}</option>
          <option value="contact">{t("holds.contact")}</option>
        </select>
        <input
          aria-label={t("holds.id")}
          placeholder={t("holds.id")}
          required
          value={form.id}
          onChange={(e) => setForm({ ...form, id: e.target.value })}
        />
        <input
          aria-label={t("holds.reason")}
          placeholder={t("holds.reason")}
          required
          minLength={3}
          value={form.reason}
          onChange={(e) => setForm({ ...form, reason: e.target.value })}
        />
        <button type="submit" disabled={place.isPending}>
          {t("holds.place")}
        </button>
      </form>
      {(place.error ?? release.error) && (
        <p role="alert" className="error">
          {(place.error ?? release.error)?.message}
        </p>
      )}
    </section>
  );
}
