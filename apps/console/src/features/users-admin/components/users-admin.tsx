import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { SecuritySettings, UserDto } from "@inbox/contracts";
import { MIN_PASSWORD_LENGTH } from "@inbox/contracts/limits";
import { ApiError } from "../../../lib/http";
import { adminApi } from "../../admin/api";
import { useTeams } from "../../inbox/hooks/use-directory";
import { usersErrorKey } from "../locales";
import { ResetPasswordDialog } from "./reset-password-dialog";

const ROLES = ["agent", "lead", "admin"] as const;
const EMPTY_FORM = { name: "", email: "", password: "", role: "agent", teamId: "" };

function useInvalidating<A, R>(fn: (a: A) => Promise<R>, keys: string[]) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => keys.forEach((k) => void client.invalidateQueries({ queryKey: [k] })),
  });
}

/**
 * Users for admins: create (with a name), role, active, password reset (in a dialog: typed or generated), and who
 * has 2FA (with a reset).
 */
export function UsersAdmin() {
  const { t } = useTranslation();
  const tu = useTranslation("users").t;
  const users = useQuery({ queryKey: ["admin-users"], queryFn: adminApi.users });
  const teams = useTeams();
  const keys = ["admin-users", "users"];
  const create = useInvalidating(
    (b: { name: string; email: string; password: string; role: string; teamIds: string[] }) => adminApi.createUser(b),
    keys,
  );
  const update = useInvalidating(
    (a: { id: string; body: Record<string, unknown> }) => adminApi.updateUser(a.id, a.body),
    keys,
  );
  const resetTotp = useInvalidating((u: UserDto) => adminApi.resetTotp(u.id), keys);
  const security = useQuery({ queryKey: ["admin-security"], queryFn: adminApi.security });
  const setSecurity = useInvalidating((v: Partial<SecuritySettings>) => adminApi.setSecurity(v), ["admin-security"]);
  const [form, setForm] = useState(EMPTY_FORM);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [resetting, setResetting] = useState<UserDto | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setNotice(null);
    create.mutate(
      {
        name: form.name.trim(),
        email: form.email,
        password: form.password,
        role: form.role,
        teamIds: form.teamId ? [form.teamId] : [],
      },
      {
        onSuccess: (user) => {
          setForm(EMPTY_FORM);
          setNotice(tu("created", { email: user.email }));
        },
      },
    );
  };
  const failed = create.error ?? update.error ?? resetTotp.error;

  return (
    <>
      <label className="row">
        <input
          type="checkbox"
          checked={security.data?.requireTotp ?? false}
          onChange={(e) => setSecurity.mutate({ requireTotp: e.target.checked })}
        />{" "}
        {t("admin.requireTotp")}
      </label>
      <label className="row">
        <input
          type="checkbox"
          checked={security.data?.leadsSeeTeamlessConversations ?? false}
          onChange={(e) => setSecurity.mutate({ leadsSeeTeamlessConversations: e.target.checked })}
        />{" "}
        {t("admin.leadsSeeTeamless")}
      </label>
      {setSecurity.error && (
        <p role="alert" className="error">
          {setSecurity.error instanceof ApiError && setSecurity.error.code === "conflict"
            ? t("admin.ownTotpFirst")
            : t("app.error")}
        </p>
      )}
      {users.isPending && <p className="muted">{t("app.loading")}</p>}
      {users.isError && (
        <p role="alert" className="error">
          {t("app.error")}
        </p>
      )}
      <table data-testid="users-table">
        <thead>
          <tr>
            {[tu("name"), tu("email"), tu("role"), tu("teams"), tu("active"), tu("twoFactor"), ""].map((h, i) => (
              <th key={i} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {users.data?.items.map((u) => (
            <tr key={u.id} data-user-email={u.email}>
              <td>{u.name}</td>
              <td>{u.email}</td>
              <td>
                <select
                  aria-label={tu("role")}
                  value={u.role}
                  onChange={(e) => update.mutate({ id: u.id, body: { role: e.target.value } })}
                >
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {tu(`roles.${r}`)}
                    </option>
                  ))}
                </select>
              </td>
              <td>{u.teamIds.map((id) => teams.data?.items.find((x) => x.id === id)?.name).join(", ")}</td>
              <td>{u.isActive ? tu("yes") : tu("no")}</td>
              <td data-testid="user-totp" data-enabled={String(u.totpEnabled)}>
                {u.totpEnabled ? tu("twoFactorOn") : tu("twoFactorOff")}
              </td>
              <td>
                <button onClick={() => update.mutate({ id: u.id, body: { isActive: !u.isActive } })}>
                  {u.isActive ? tu("deactivate") : tu("activate")}
                </button>
                <button
                  onClick={() => {
                    setNotice(null);
                    setResetting(u);
                  }}
                >
                  {tu("resetPassword")}
                </button>
                {u.totpEnabled && confirming !== u.id && (
                  <button onClick={() => setConfirming(u.id)}>{tu("resetTotp")}</button>
                )}
                {confirming === u.id && (
                  <span role="alertdialog" aria-label={tu("resetTotp")} className="confirm">
                    <span>{tu("confirmResetTotp", { email: u.email })}</span>{" "}
                    <button
                      className="danger"
                      onClick={() =>
                        resetTotp.mutate(u, {
                          onSuccess: () => {
                            setConfirming(null);
                            setNotice(tu("totpReset", { email: u.email }));
                          },
                        })
                      }
                    >
                      {tu("confirm")}
                    </button>
                    <button onClick={() => setConfirming(null)}>{tu("cancel")}</button>
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{tu("createTitle")}</h2>
      <form onSubmit={submit} className="inline-form" aria-label={tu("createTitle")}>
        <input
          aria-label={tu("name")}
          placeholder={tu("name")}
          required
          maxLength={120}
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
        />
        <input
          aria-label={tu("email")}
          placeholder={tu("email")}
          type="email"
          required
          value={form.email}
          onChange={(e) => setForm({ ...form, email: e.target.value })}
        />
        <input
          aria-label={tu("password")}
          placeholder={tu("password")}
          title={tu("passwordHelp", { n: MIN_PASSWORD_LENGTH })}
          type="password"
          autoComplete="new-password"
          minLength={MIN_PASSWORD_LENGTH}
          required
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
        />
        <select aria-label={tu("role")} value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value })}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {tu(`roles.${r}`)}
            </option>
          ))}
        </select>
        <select
          aria-label={tu("team")}
          value={form.teamId}
          onChange={(e) => setForm({ ...form, teamId: e.target.value })}
        >
          <option value="">{tu("noTeam")}</option>
          {teams.data?.items.map((tm) => (
            <option key={tm.id} value={tm.id}>
              {tm.name}
            </option>
          ))}
        </select>
        <button type="submit" disabled={create.isPending}>
          {tu("create")}
        </button>
      </form>
      {resetting && (
        <ResetPasswordDialog
          key={resetting.id}
          user={resetting}
          onClose={() => setResetting(null)}
          onReset={(u) => {
            setResetting(null);
            setNotice(tu("passwordReset", { email: u.email }));
          }}
        />
      )}
      {notice && <p role="status">{notice}</p>}
      {failed && (
        <p role="alert" className="error">
          {tu(usersErrorKey(failed instanceof ApiError ? failed.code : ""), { n: MIN_PASSWORD_LENGTH })}
        </p>
      )}
    </>
  );
}
