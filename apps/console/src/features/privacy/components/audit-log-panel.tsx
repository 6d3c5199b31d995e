import { useState, type FormEvent } from "react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../../lib/format";
import { useUsers } from "../../inbox/hooks/use-directory";
import { privacyApi, type AuditFilters } from "../api";
import { PRIVACY_NS } from "../locale";

/** The audit log with filters (action, user, since), paged, and the same filters as a CSV download. */
export function AuditLogPanel() {
  const { t } = useTranslation(PRIVACY_NS);
  const users = useUsers();
  const [form, setForm] = useState({ action: "", actorId: "", since: "" });
  const [filters, setFilters] = useState<AuditFilters>({});
  const log = useInfiniteQuery({
    queryKey: ["audit-log", filters],
    queryFn: ({ pageParam }) => privacyApi.auditLog(filters, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setFilters({
      ...(form.action.trim() ? { action: form.action.trim() } : {}),
      ...(form.actorId ? { actorId: form.actorId } : {}),
      ...(form.since ? { since: new Date(form.since).toISOString() } : {}),
    });
  };
  const items = log.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">{t("tabs.audit")}</h2>
      <p className="muted">{t("audit.intro")}</p>
      <form className="inline-form" onSubmit={submit}>
        <input
          aria-label={t("audit.action")}
          placeholder={t("audit.actionHint")}
          value={form.action}
          onChange={(e) => setForm({ ...form, action: e.target.value })}
        />
        <select
          aria-label={t("audit.actor")}
          value={form.actorId}
          onChange={(e) => setForm({ ...form, actorId: e.target.value })}
        >
          <option value="">{t("audit.anyone")}</option>
          {users.data?.items.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
        <label className="row small">
          {t("audit.since")}
          <input
            type="datetime-local"
            value={form.since}
            onChange={(e) => setForm({ ...form, since: e.target.value })}
          />
        </label>
        <button type="submit">{t("audit.apply")}</button>
        <a href={privacyApi.auditCsvUrl(filters)} download>
          {t("audit.csv")}
        </a>
      </form>
      {log.isPending && <p className="muted">{t("loading")}</p>}
      {log.isError && (
        <p role="alert" className="error">
          {t("error", { message: log.error.message })}
        </p>
      )}
      {log.isSuccess && items.length === 0 && <p className="muted">{t("audit.empty")}</p>}
      {items.length > 0 && (
        <div style={{ overflowX: "auto" }}>
          <table data-testid="audit-table">
            <thead>
              <tr>
                <th scope="col">{t("audit.at")}</th>
                <th scope="col">{t("audit.action")}</th>
                <th scope="col">{t("audit.actor")}</th>
                <th scope="col">{t("audit.target")}</th>
                <th scope="col">{t("audit.details")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id}>
                  <td>{formatDateTime(e.createdAt, { dateStyle: "short", timeStyle: "medium" })}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>{e.actorName ?? (e.actorType === "user" ? e.actorId : t("audit.system"))}</td>
                  <td className="small">
                    {e.target.type}
                    {e.target.id ? ` ${e.target.id}` : ""}
                  </td>
                  <td className="small">
                    <code style={{ wordBreak: "break-all" }}>
                      {Object.keys(e.data).length ? JSON.stringify(e.data).slice(0, 300) : ""}
                    </code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {log.hasNextPage && (
        <button type="button" disabled={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
          {t("audit.more")}
        </button>
      )}
    </section>
  );
}
