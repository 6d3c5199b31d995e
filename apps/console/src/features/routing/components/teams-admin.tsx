import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { LocalizedText, TeamDetailDto } from "@inbox/contracts";
import { adminApi } from "../../admin/api";
import { routingApi, type TeamPatch } from "../api";
import { errorText } from "../error-text";
import { ROUTING_NS } from "../locales";
import { BusinessHoursEditor } from "./business-hours-editor";

type Role = "member" | "lead" | "";

function TextPair({
  legend,
  value,
  onChange,
}: {
  legend: string;
  value: LocalizedText | null;
  onChange: (v: LocalizedText | null) => void;
}) {
  const { t } = useTranslation(ROUTING_NS);
  const v = value ?? { de: "", en: "" };
  const set = (k: "de" | "en", text: string) => {
    const next = { ...v, [k]: text };
    onChange(next.de || next.en ? next : null);
  };
  return (
    <fieldset>
      <legend>{legend}</legend>
      <p className="small muted">{t("teams.textFallback")}</p>
      <label>
        {t("teams.german")}
        <textarea rows={2} value={v.de} maxLength={1000} onChange={(e) => set("de", e.target.value)} />
      </label>
      <label>
        {t("teams.english")}
        <textarea rows={2} value={v.en} maxLength={1000} onChange={(e) => set("en", e.target.value)} />
      </label>
    </fieldset>
  );
}

function TeamEditor({ team, onDeleted }: { team: TeamDetailDto; onDeleted: () => void }) {
  const { t } = useTranslation(ROUTING_NS);
  const client = useQueryClient();
  const users = useQuery({ queryKey: ["admin-users"], queryFn: adminApi.users });
  const [draft, setDraft] = useState(team);
  const invalidate = () =>
    ["admin-teams", "teams", "admin-team", "admin-users", "users"].forEach(
      (k) => void client.invalidateQueries({ queryKey: [k] }),
    );
  const save = useMutation({
    mutationFn: (body: TeamPatch) => routingApi.updateTeam(team.id, body),
    onSuccess: invalidate,
  });
  const capacity = useMutation({
    mutationFn: (a: { id: string; value: number | null }) =>
      adminApi.updateUser(a.id, { maxOpenConversations: a.value }),
    onSuccess: invalidate,
  });
  const remove = useMutation({
    mutationFn: () => routingApi.deleteTeam(team.id),
    onSuccess: () => {
      invalidate();
      onDeleted();
    },
  });
  const roleOf = (userId: string): Role => draft.members.find((m) => m.userId === userId)?.role ?? "";
  const setRole = (userId: string, role: Role) =>
    setDraft({
      ...draft,
      members: [...draft.members.filter((m) => m.userId !== userId), ...(role ? [{ userId, role }] : [])],
    });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({
      name: draft.name,
      description: draft.description || null,
      assignment: draft.assignment,
      requirePresence: draft.requirePresence,
      awayMessage: draft.awayMessage,
      greetingMessage: draft.greetingMessage,
      businessHours: draft.businessHours,
      members: draft.members,
    });
  };
  return (
    <form onSubmit={submit} className="card" aria-label={team.name} data-testid="team-editor">
      <label>
        {t("teams.name")}
        <input
          required
          maxLength={80}
          value={draft.name}
          onChange={(e) => setDraft({ ...draft, name: e.target.value })}
        />
      </label>
      <label>
        {t("teams.description")}
        <input
          maxLength={500}
          value={draft.description ?? ""}
          onChange={(e) => setDraft({ ...draft, description: e.target.value })}
        />
      </label>
      <label>
        {t("teams.assignment")}
        <select
          value={draft.assignment}
          onChange={(e) => setDraft({ ...draft, assignment: e.target.value as TeamDetailDto["assignment"] })}
        >
          {(["manual", "round_robin", "least_loaded"] as const).map((m) => (
            <option key={m} value={m}>
              {t(`teams.assignmentModes.${m}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="row">
        <input
          type="checkbox"
          checked={draft.requirePresence}
          onChange={(e) => setDraft({ ...draft, requirePresence: e.target.checked })}
        />{" "}
        {t("teams.requirePresence")}
      </label>
      <fieldset>
        <legend>{t("teams.members")}</legend>
        <p className="muted small">{t("teams.capacity")}</p>
        {users.isPending && <p className="muted">…</p>}
        <table>
          <tbody>
            {users.data?.items
              .filter((u) => u.isActive)
              .map((u) => (
                <tr key={u.id}>
                  <td>{u.name}</td>
                  <td>
                    <input
                      type="number"
                      min={1}
                      aria-label={`${t("teams.capacity")}: ${u.name}`}
                      title={t("teams.capacity")}
                      defaultValue={u.maxOpenConversations ?? ""}
                      onBlur={(e) => {
                        const value = e.target.value ? Number(e.target.value) : null;
                        if (value !== u.maxOpenConversations) capacity.mutate({ id: u.id, value });
                      }}
                    />
                  </td>
                  <td>
                    <select
                      aria-label={`${t("teams.members")}: ${u.name}`}
                      value={roleOf(u.id)}
                      onChange={(e) => setRole(u.id, e.target.value as Role)}
                    >
                      <option value="">{t("teams.none")}</option>
                      <option value="member">{t("teams.member")}</option>
                      <option value="lead">{t("teams.lead")}</option>
                    </select>
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      </fieldset>
      <TextPair
        legend={t("teams.awayMessage")}
        value={draft.awayMessage}
        onChange={(awayMessage) => setDraft({ ...draft, awayMessage })}
      />
      <TextPair
        legend={t("teams.greetingMessage")}
        value={draft.greetingMessage}
        onChange={(greetingMessage) => setDraft({ ...draft, greetingMessage })}
      />
      <BusinessHoursEditor
        value={draft.businessHours}
        onChange={(businessHours) => setDraft({ ...draft, businessHours })}
      />
      <div className="actions">
        <button type="submit" disabled={save.isPending}>
          {t("teams.save")}
        </button>
        <button
          type="button"
          onClick={() => {
            if (window.confirm(t("teams.confirmDelete", { name: team.name }))) remove.mutate();
          }}
        >
          {t("teams.delete")}
        </button>
      </div>
      {save.isSuccess && <p role="status">{t("teams.saved")}</p>}
      {(save.error ?? remove.error ?? capacity.error) && (
        <p role="alert" className="error">
          {errorText(t, save.error ?? remove.error ?? capacity.error)}
        </p>
      )}
    </form>
  );
}

/** Admins create, rename and delete teams and set members, leads and the team's routing settings. */
export function TeamsAdmin() {
  const { t } = useTranslation(ROUTING_NS);
  const client = useQueryClient();
  const teams = useQuery({ queryKey: ["admin-teams"], queryFn: routingApi.teams });
  const [selected, setSelected] = useState<string | null>(null);
  const detail = useQuery({
    queryKey: ["admin-team", selected],
    queryFn: () => routingApi.team(selected!),
    enabled: selected !== null,
  });
  const [name, setName] = useState("");
  const create = useMutation({
    mutationFn: routingApi.createTeam,
    onSuccess: (team) => {
      setName("");
      setSelected(team.id);
      ["admin-teams", "teams"].forEach((k) => void client.invalidateQueries({ queryKey: [k] }));
    },
  });
  return (
    <div className="routing-admin">
      <h2>{t("teams.title")}</h2>
      {teams.isPending && <p className="muted">…</p>}
      {teams.data?.items.length === 0 && <p className="muted">{t("teams.empty")}</p>}
      <ul>
        {teams.data?.items.map((team) => (
          <li key={team.id}>
            <button aria-pressed={selected === team.id} onClick={() => setSelected(team.id)}>
              {team.name}
            </button>
          </li>
        ))}
      </ul>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(name);
        }}
      >
        <input
          aria-label={t("teams.name")}
          placeholder={t("teams.name")}
          required
          maxLength={80}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <button type="submit">{t("teams.create")}</button>
      </form>
      {create.error && (
        <p role="alert" className="error">
          {errorText(t, create.error)}
        </p>
      )}
      {detail.data && (
        <TeamEditor
          key={`${detail.data.id}-${detail.dataUpdatedAt}`}
          team={detail.data}
          onDeleted={() => setSelected(null)}
        />
      )}
    </div>
  );
}
