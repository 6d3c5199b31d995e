import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { BulkReassignResponse, DashboardAgent, DashboardTeam } from "@inbox/contracts";
import { formatDateTime } from "../../../lib/format";
import { useTeams } from "../../inbox/hooks/use-directory";
import { DASHBOARD_KEY, teamApi } from "../api";
import { teamErrorText } from "../error-text";
import { TEAM_NS } from "../locales";

function useDuration() {
  const { t } = useTranslation(TEAM_NS);
  return (seconds: number) => {
    if (seconds < 60) return t("duration.seconds", { count: seconds });
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60) return t("duration.minutes", { count: minutes });
    return t("duration.hours", { count: Math.floor(minutes / 60), minutes: minutes % 60 });
  };
}

function AgentRow({ a }: { a: DashboardAgent }) {
  const { t } = useTranslation(TEAM_NS);
  const isFull = a.maxOpenConversations !== null && a.load >= a.maxOpenConversations;
  return (
    <tr data-testid={`agent-${a.userId}`}>
      <td>
        {a.name} {a.role === "lead" && <span className="badge">{t("lead")}</span>}
      </td>
      <td>
        <span className={`presence ${a.isOnline ? "online" : ""}`}>●</span> {t(`availability.${a.availability}`)}
        <span className="muted small"> ({a.isOnline ? t("online") : t("offline")})</span>
      </td>
      <td className={isFull ? "error" : ""} data-testid="load">
        {a.load} / {a.maxOpenConversations ?? t("noLimit")}
      </td>
      <td>
        {a.absence
          ? a.absence.endsAt
            ? t("absentUntil", { until: formatDateTime(a.absence.endsAt), who: a.absence.substituteName ?? "—" })
            : t("absentOpenEnd", { who: a.absence.substituteName ?? "—" })
          : "—"}
      </td>
    </tr>
  );
}

/** One team: figures, agents, and the queue with bulk reassignment. */
function TeamCard({ team }: { team: DashboardTeam }) {
  const { t } = useTranslation(TEAM_NS);
  const duration = useDuration();
  const client = useQueryClient();
  const teams = useTeams();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [target, setTarget] = useState("");
  const [note, setNote] = useState("");
  const [result, setResult] = useState<BulkReassignResponse | null>(null);
  const names = new Map(team.queue.map((q) => [q.conversationId, q.contactName ?? q.conversationId.slice(0, 8)]));
  const reassign = useMutation({
    mutationFn: () => {
      const [kind, id] = target.split(":");
      return teamApi.reassign({
        conversationIds: [...selected],
        ...(kind === "team" ? { teamId: id! } : { assigneeId: kind === "user" ? id! : null }),
        ...(note.trim() ? { note: note.trim() } : {}),
      });
    },
    onSuccess: (answer) => {
      setResult(answer);
      setSelected(new Set());
      setNote("");
      void client.invalidateQueries({ queryKey: DASHBOARD_KEY });
      void client.invalidateQueries({ queryKey: ["conversations"] });
    },
  });
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (selected.size && target) reassign.mutate();
  };
  const isAllSelected = team.queue.length > 0 && team.queue.every((q) => selected.has(q.conversationId));
  return (
    <section className="card" aria-labelledby={`team-${team.teamId}`} data-testid={`team-${team.name}`}>
      <h3 id={`team-${team.teamId}`}>{team.name}</h3>
      <dl className="figures">
        <div>
          <dt>{t("queue")}</dt>
          <dd data-testid="queue-length">{team.queueLength}</dd>
        </div>
        <div>
          <dt>{t("longestWait")}</dt>
          <dd data-testid="longest-wait">
            {team.longestWaitSeconds === null ? t("nobodyWaits") : duration(team.longestWaitSeconds)}
          </dd>
        </div>
        <div>
          <dt>{t("open")}</dt>
          <dd data-testid="open-count">{team.openCount}</dd>
        </div>
        <div>
          <dt>{t("resolvedToday")}</dt>
          <dd data-testid="resolved-today">{team.resolvedToday}</dd>
        </div>
        <div>
          <dt>{t("medianFirstResponse")}</dt>
          <dd data-testid="median-first-response">
            {team.medianFirstResponseSeconds === null ? t("noResponses") : duration(team.medianFirstResponseSeconds)}
          </dd>
        </div>
      </dl>
      <h4>{t("agents")}</h4>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("agent")}</th>
              <th scope="col">{t("status")}</th>
              <th scope="col">{t("load")}</th>
              <th scope="col">{t("absence")}</th>
            </tr>
          </thead>
          <tbody>
            {team.agents.map((a) => (
              <AgentRow key={a.userId} a={a} />
            ))}
          </tbody>
        </table>
      </div>
      <h4>{t("queueTitle")}</h4>
      {team.queue.length === 0 ? (
        <p className="muted">{t("queueEmpty")}</p>
      ) : (
        <form onSubmit={submit} aria-label={t("reassign.title")}>
          <div className="table-scroll">
            <table data-testid="queue">
              <thead>
                <tr>
                  <th scope="col">
                    <input
                      type="checkbox"
                      aria-label={t("selectAll")}
                      checked={isAllSelected}
                      onChange={() =>
                        setSelected(isAllSelected ? new Set() : new Set(team.queue.map((q) => q.conversationId)))
                      }
                    />
                  </th>
                  <th scope="col">{t("customer")}</th>
                  <th scope="col">{t("waitingSince")}</th>
                </tr>
              </thead>
              <tbody>
                {team.queue.map((q) => (
                  <tr key={q.conversationId} data-testid="queued">
                    <td>
                      <input
                        type="checkbox"
                        aria-label={t("select", { name: names.get(q.conversationId) })}
                        checked={selected.has(q.conversationId)}
                        onChange={() => toggle(q.conversationId)}
                      />
                    </td>
                    <td>
                      <Link to={`/c/${q.conversationId}`}>{names.get(q.conversationId)}</Link>
                    </td>
                    <td>{formatDateTime(q.queuedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <fieldset>
            <legend>{t("reassign.title")}</legend>
            <label>
              {t("reassign.to")}{" "}
              <select required value={target} onChange={(e) => setTarget(e.target.value)} data-testid="reassign-to">
                <option value="">—</option>
                <optgroup label={t("reassign.toAgent")}>
                  {team.agents.map((a) => (
                    <option key={a.userId} value={`user:${a.userId}`}>
                      {a.name}
                    </option>
                  ))}
                </optgroup>
                <optgroup label={t("reassign.toTeam")}>
                  {(teams.data?.items ?? [])
                    .filter((x) => x.id !== team.teamId)
                    .map((x) => (
                      <option key={x.id} value={`team:${x.id}`}>
                        {x.name}
                      </option>
                    ))}
                </optgroup>
              </select>
            </label>{" "}
            <label>
              {t("reassign.note")} <input value={note} maxLength={4096} onChange={(e) => setNote(e.target.value)} />
            </label>{" "}
            <button type="submit" disabled={!selected.size || !target || reassign.isPending}>
              {t("reassign.submit", { count: selected.size })}
            </button>
            {!selected.size && <span className="muted small"> {t("reassign.nothingSelected")}</span>}
          </fieldset>
        </form>
      )}
      {reassign.error && (
        <p role="alert" className="error">
          {teamErrorText(t, reassign.error)}
        </p>
      )}
      {result && (
        <div role="status" data-testid="reassign-result">
          <p>{t("reassign.result", { moved: result.moved, refused: result.refused })}</p>
          <ul>
            {result.results
              .filter((r) => r.code)
              .map((r) => (
                <li key={r.conversationId} className="error small">
                  {t("reassign.refusedOne", {
                    name: names.get(r.conversationId) ?? r.conversationId.slice(0, 8),
                    reason: teamErrorText(t, r.message, r.code),
                  })}
                </li>
              ))}
          </ul>
        </div>
      )}
    </section>
  );
}

/**
 * The lead dashboard: per team the queue and its longest wait, each agent's status, load against capacity and
 * absence, open and resolved today, median first response. Live: use-live re-reads it on conversation, message and
 * presence events; a slow timer keeps the waiting times current.
 */
export function TeamPage() {
  const { t } = useTranslation(TEAM_NS);
  const dashboard = useQuery({ queryKey: DASHBOARD_KEY, queryFn: teamApi.dashboard, refetchInterval: 30_000 });
  return (
    <main id="main" className="admin team-page">
      <h2>{t("title")}</h2>
      {dashboard.isPending && <p className="muted">{t("loading")}</p>}
      {dashboard.error && (
        <p role="alert" className="error">
          {teamErrorText(t, dashboard.error)}
        </p>
      )}
      {dashboard.data && (
        <p className="muted small">
          {t("updated", { time: formatDateTime(dashboard.data.generatedAt, { timeStyle: "medium" }) })}
        </p>
      )}
      {dashboard.data?.teams.length === 0 && <p className="muted">{t("empty")}</p>}
      {dashboard.data?.teams.map((team) => (
        <TeamCard key={team.teamId} team={team} />
      ))}
    </main>
  );
}
