import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { AbsenceDto, SessionDto } from "@inbox/contracts";
import { api } from "../../../lib/http";
import { formatDateTime } from "../../../lib/format";
import { useTeams, useUsers } from "../../inbox/hooks/use-directory";
import { errorText } from "../error-text";
import { ROUTING_NS } from "../locales";

const KEY = ["absences"];

/** Vacation cover: who is away, who covers them, until when; agents set their own, leads their team's, admins anyone's. */
export function AbsencesPage({ session }: { session: SessionDto }) {
  const { t } = useTranslation(ROUTING_NS);
  const client = useQueryClient();
  const users = useUsers();
  const teams = useTeams();
  const list = useQuery({ queryKey: KEY, queryFn: () => api<{ items: AbsenceDto[] }>("/api/absences") });
  const me = session.user;
  const [form, setForm] = useState({
    userId: me.id,
    startsAt: "",
    endsAt: "",
    substitute: "",
    handover: true,
    returnAtEnd: false,
  });
  const create = useMutation({
    mutationFn: () => {
      const [kind, id] = form.substitute.split(":");
      return api<AbsenceDto>("/api/absences", {
        method: "POST",
        body: {
          userId: form.userId,
          startsAt: form.startsAt ? new Date(form.startsAt).toISOString() : new Date().toISOString(),
          endsAt: form.endsAt ? new Date(form.endsAt).toISOString() : null,
          ...(kind === "team" ? { substituteTeamId: id } : { substituteUserId: id ?? null }),
          handover: form.handover ? "all" : "none",
          returnAtEnd: form.returnAtEnd,
        },
      });
    },
    onSuccess: () => void client.invalidateQueries({ queryKey: KEY }),
  });
  const remove = useMutation({
    mutationFn: (id: string) => api<void>(`/api/absences/${id}`, { method: "DELETE" }),
    onSuccess: () => void client.invalidateQueries({ queryKey: KEY }),
  });
  const people = users.data?.items ?? [];
  const manageable = me.role === "agent" ? people.filter((u) => u.id === me.id) : people;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <main id="main" className="admin">
      <h2>{t("absences.title")}</h2>
      {list.isPending && <p className="muted">{t("absences.loading")}</p>}
      {list.error && (
        <p role="alert" className="error">
          {errorText(t, list.error)}
        </p>
      )}
      {list.data?.items.length === 0 && <p className="muted">{t("absences.empty")}</p>}
      {(list.data?.items.length ?? 0) > 0 && (
        <table data-testid="absences">
          <thead>
            <tr>
              <th scope="col">{t("absences.who")}</th>
              <th scope="col">{t("absences.coveredBy")}</th>
              <th scope="col">{t("absences.from")}</th>
              <th scope="col">{t("absences.until")}</th>
              <th scope="col">{t("absences.handover")}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((a) => (
              <tr key={a.id}>
                <td>
                  {a.userName} {a.isActive && <span className="badge">{t("absences.now")}</span>}
                </td>
                <td>{a.substituteUserName ?? `${t("absences.team")} ${a.substituteTeamName ?? ""}`}</td>
                <td>{formatDateTime(a.startsAt)}</td>
                <td>{a.endsAt ? formatDateTime(a.endsAt) : t("absences.furtherNotice")}</td>
                <td>
                  {a.handover === "all" ? t("absences.handoverAll") : t("absences.handoverNone")}
                  {a.returnAtEnd ? `, ${t("absences.returns")}` : ""}
                </td>
                <td>
                  <button onClick={() => remove.mutate(a.id)} disabled={remove.isPending}>
                    {a.isActive ? t("absences.end") : t("absences.cancel")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {remove.error && (
        <p role="alert" className="error">
          {errorText(t, remove.error)}
        </p>
      )}
      <form onSubmit={submit} className="card" aria-label={t("absences.new")}>
        <h3>{t("absences.new")}</h3>
        <label>
          {t("absences.who")}
          <select value={form.userId} onChange={(e) => setForm({ ...form, userId: e.target.value })}>
            {manageable.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("absences.from")}
          <input
            type="datetime-local"
            value={form.startsAt}
            onChange={(e) => setForm({ ...form, startsAt: e.target.value })}
          />
          <span className="muted small"> {t("absences.fromHint")}</span>
        </label>
        <label>
          {t("absences.until")}
          <input
            type="datetime-local"
            value={form.endsAt}
            onChange={(e) => setForm({ ...form, endsAt: e.target.value })}
          />
          <span className="muted small"> {t("absences.untilHint")}</span>
        </label>
        <label>
          {t("absences.coveredBy")}
          <select
            required
            data-testid="substitute"
            value={form.substitute}
            onChange={(e) => setForm({ ...form, substitute: e.target.value })}
          >
            <option value="">—</option>
            <optgroup label={t("absences.agents")}>
              {people
                .filter((u) => u.id !== form.userId)
                .map((u) => (
                  <option key={u.id} value={`user:${u.id}`}>
                    {u.name}
                  </option>
                ))}
            </optgroup>
            <optgroup label={t("absences.teams")}>
              {teams.data?.items.map((x) => (
                <option key={x.id} value={`team:${x.id}`}>
                  {x.name}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
        <label className="row">
          <input
            type="checkbox"
            checked={form.handover}
            onChange={(e) => setForm({ ...form, handover: e.target.checked })}
          />{" "}
          {t("absences.handoverAllLong")}
        </label>
        <label className="row">
          <input
            type="checkbox"
            checked={form.returnAtEnd}
            onChange={(e) => setForm({ ...form, returnAtEnd: e.target.checked })}
          />{" "}
          {t("absences.returnsLong")}
        </label>
        <button type="submit" disabled={create.isPending}>
          {t("absences.save")}
        </button>
        {create.isSuccess && <p role="status">{t("absences.saved")}</p>}
        {create.error && (
          <p role="alert" className="error">
            {errorText(t, create.error)}
          </p>
        )}
      </form>
    </main>
  );
}
