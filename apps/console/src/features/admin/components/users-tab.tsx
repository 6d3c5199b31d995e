import { useState, type FormEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ShieldCheck } from "lucide-react";
import type { SessionDto } from "@inbox/contracts";
import { MIN_PASSWORD_LENGTH } from "@inbox/contracts/limits";
import { useTeams } from "../../inbox/hooks/use-directory";
import { adminApi } from "../api";
import { Empty, ErrorLine, Table, useSave } from "./shared";

const ROLES = ["agent", "lead", "admin"] as const;

/** Users: create (with name), role, active, password reset, who has 2FA and resetting it; roles explained. */
export function UsersTab({ session }: { session: SessionDto }) {
  const { t } = useTranslation();
  const users = useQuery({ queryKey: ["admin-users"], queryFn: adminApi.users });
  const teams = useTeams();
  const keys = ["admin-users", "users"];
  const create = useSave(
    keys,
    (b: { email: string; name: string; password: string; role: string; teamIds: string[] }) => adminApi.createUser(b),
  );
  const update = useSave(keys, (a: { id: string; body: Record<string, unknown> }) => adminApi.updateUser(a.id, a.body));
  const reset = useSave(keys, (a: { id: string; password: string }) => adminApi.resetPassword(a.id, a.password));
  const resetTotp = useSave(keys, (id: string) => adminApi.resetTotp(id));
  const security = useQuery({ queryKey: ["admin-security"], queryFn: adminApi.security });
  const setSecurity = useSave(["admin-security"], (v: boolean) => adminApi.setSecurity(v));
  const empty = { name: "", email: "", password: "", role: "agent", teamId: "" };
  const [form, setForm] = useState(empty);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      {
        email: form.email,
        name: form.name,
        password: form.password,
        role: form.role,
        teamIds: form.teamId ? [form.teamId] : [],
      },
      { onSuccess: () => setForm(empty) },
    );
  };
  return (
    <>
      <label className="toggle">
        <input
          type="checkbox"
          checked={security.data?.requireTotp ?? false}
          onChange={(e) => setSecurity.mutate(e.target.checked)}
        />{" "}
        {t("admin.requireTotp")}
      </label>
      {users.data?.items.length === 0 && <Empty text={t("admin.noUsers")} />}
      <Table
        caption={t("admin.users")}
        head={[
          t("admin.name"),
          t("admin.email"),
          t("admin.role"),
          t("admin.teams"),
          t("admin.twoFactor"),
          t("admin.active"),
          t("app.actions"),
        ]}
      >
        {users.data?.items.map((u) => (
          <tr key={u.id} data-testid="user-row">
            <td>{u.name}</td>
            <td>{u.email}</td>
            <td>
              <select
                aria-label={`${t("admin.role")}: ${u.name}`}
                value={u.role}
                onChange={(e) => update.mutate({ id: u.id, body: { role: e.target.value } })}
                disabled={u.id === session.user.id}
              >
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {t(`roles.${r}`)}
                  </option>
                ))}
              </select>
            </td>
            <td>{u.teamIds.map((id) => teams.data?.items.find((x) => x.id === id)?.name).join(", ")}</td>
            <td data-testid="user-2fa">
              {u.totpEnabled ? (
                <>
                  <ShieldCheck aria-hidden size={16} className="inline-icon ok" /> {t("admin.yes")}{" "}
                  {u.id !== session.user.id && (
                    <button
                      type="button"
                      className="small"
                      onClick={() => {
                        if (window.confirm(t("admin.resetTotpConfirm", { name: u.name }))) resetTotp.mutate(u.id);
                      }}
                    >
                      {t("admin.resetTotp")}
                    </button>
                  )}
                </>
              ) : (
                t("admin.no")
              )}
            </td>
            <td>{u.isActive ? t("admin.yes") : t("admin.no")}</td>
            <td className="cell-actions">
              <button onClick={() => update.mutate({ id: u.id, body: { isActive: !u.isActive } })}>
                {u.isActive ? t("admin.deactivate") : t("admin.activate")}
              </button>
              <button
                onClick={() => {
                  const password = window.prompt(t("admin.newPassword"));
                  if (password) reset.mutate({ id: u.id, password });
                }}
              >
                {t("admin.resetPassword")}
              </button>
            </td>
          </tr>
        ))}
      </Table>
      <form onSubmit={submit} className="inline-form" aria-label={t("admin.create")}>
        <label>
          {t("admin.name")}
          <input
            placeholder={t("admin.namePlaceholder")}
            required
            maxLength={120}
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
          />
        </label>
        <label>
          {t("admin.email")}
          <input
            type="email"
            required
            value={form.email}
            onChange={(e) => setForm({ ...form, email: e.target.value })}
          />
        </label>
        <label>
          {t("admin.password")}
          <input
            type="password"
            autoComplete="new-password"
            minLength={MIN_PASSWORD_LENGTH}
            required
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
          />
        </label>
        <label>
          {t("admin.role")}
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value })}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("admin.teams")}
          <select value={form.teamId} onChange={(e) => setForm({ ...form, teamId: e.target.value })}>
            <option value="">—</option>
            {teams.data?.items.map((tm) => (
              <option key={tm.id} value={tm.id}>
                {tm.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary">
          {t("admin.create")}
        </button>
      </form>
      <ErrorLine errors={[create.error, update.error, reset.error, resetTotp.error, setSecurity.error]} />
      <section aria-labelledby="roles-title" className="roles-help">
        <h3 id="roles-title">{t("admin.roles")}</h3>
        <dl>
          {ROLES.map((r) => (
            <div key={r}>
              <dt>{t(`roles.${r}`)}</dt>
              <dd>{t(`roles.help.${r}`)}</dd>
            </div>
          ))}
        </dl>
      </section>
    </>
  );
}
