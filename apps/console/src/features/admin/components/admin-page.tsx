import { useState, type FormEvent, type ReactNode } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { SecuritySettings } from "@inbox/contracts";
import { formatDateTime } from "../../../lib/format";
import { ApiError } from "../../../lib/http";
import { useTeams } from "../../inbox/hooks/use-directory";
import { adminApi } from "../api";
import WebchatChannels from "../../webchat-admin/components/webchat-channels";
import { WebhookQuarantine } from "./webhook-quarantine";
import { RoutingRulesAdmin } from "../../routing/components/routing-rules-admin";
import { TeamsAdmin } from "../../routing/components/teams-admin";
import { QueuesAdmin } from "../../queues/components/queues-admin";

const TABS = [
  "users",
  "teams",
  "routing",
  "labels",
  "quickReplies",
  "channels",
  "webchat",
  "templates",
  "webhooks",
  "queues",
] as const;

function useSave<A>(keys: string[], fn: (a: A) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => keys.forEach((k) => void client.invalidateQueries({ queryKey: [k] })),
  });
}

function Table({ head, children }: { head: string[]; children: ReactNode }) {
  return (
    <table>
      <thead>
        <tr>
          {head.map((h) => (
            <th key={h} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

function Users() {
  const { t } = useTranslation();
  const users = useQuery({ queryKey: ["admin-users"], queryFn: adminApi.users });
  const teams = useTeams();
  const create = useSave(
    ["admin-users", "users"],
    (b: { email: string; password: string; role: string; teamIds: string[] }) => adminApi.createUser(b),
  );
  const update = useSave(["admin-users", "users"], (a: { id: string; body: Record<string, unknown> }) =>
    adminApi.updateUser(a.id, a.body),
  );
  const reset = useSave(["admin-users", "users"], (a: { id: string; password: string }) =>
    adminApi.resetPassword(a.id, a.password),
  );
  const security = useQuery({ queryKey: ["admin-security"], queryFn: adminApi.security });
  const setSecurity = useSave(["admin-security"], (v: Partial<SecuritySettings>) => adminApi.setSecurity(v));
  const [form, setForm] = useState({ email: "", password: "", role: "agent", teamId: "" });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({
      email: form.email,
      password: form.password,
      role: form.role,
      teamIds: form.teamId ? [form.teamId] : [],
    });
  };
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
      <Table head={[t("admin.name"), t("admin.email"), t("admin.role"), t("admin.teams"), t("admin.active"), ""]}>
        {users.data?.items.map((u) => (
          <tr key={u.id}>
            <td>{u.name}</td>
            <td>{u.email}</td>
            <td>
              <select
                aria-label={t("admin.role")}
                value={u.role}
                onChange={(e) => update.mutate({ id: u.id, body: { role: e.target.value } })}
              >
                <option value="agent">agent</option>
                <option value="lead">lead</option>
                <option value="admin">admin</option>
              </select>
            </td>
            <td>{u.teamIds.map((id) => teams.data?.items.find((x) => x.id === id)?.name).join(", ")}</td>
            <td>{u.isActive ? "✓" : "—"}</td>
            <td>
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
      <form onSubmit={submit} className="inline-form">
        <input
          aria-label={t("admin.email")}
          placeholder={t("admin.email")}
          type="email"
          required
          value={form.email}
          onChange={(e) => setForm({ ...form, email: e.target.value })}
        />
        <input
          aria-label={t("admin.password")}
          placeholder={t("admin.password")}
          type="password"
          minLength={10}
          required
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
        />
        <select
          aria-label={t("admin.role")}
          value={form.role}
          onChange={(e) => setForm({ ...form, role: e.target.value })}
        >
          <option value="agent">agent</option>
          <option value="lead">lead</option>
          <option value="admin">admin</option>
        </select>
        <select
          aria-label={t("admin.teams")}
          value={form.teamId}
          onChange={(e) => setForm({ ...form, teamId: e.target.value })}
        >
          <option value="">—</option>
          {teams.data?.items.map((tm) => (
            <option key={tm.id} value={tm.id}>
              {tm.name}
            </option>
          ))}
        </select>
        <button type="submit">{t("admin.create")}</button>
      </form>
      {(create.error ?? update.error ?? reset.error) && (
        <p role="alert" className="error">
          {(create.error ?? update.error ?? reset.error)?.message}
        </p>
      )}
    </>
  );
}

function Labels() {
  const { t } = useTranslation();
  const labels = useQuery({ queryKey: ["admin-labels"], queryFn: adminApi.labels });
  const create = useSave(["admin-labels", "labels"], (b: { name: string; color: string }) => adminApi.createLabel(b));
  const remove = useSave(["admin-labels", "labels"], (id: string) => adminApi.deleteLabel(id));
  const [name, setName] = useState("");
  const [color, setColor] = useState("#2563eb");
  return (
    <>
      <Table head={[t("admin.name"), t("admin.color"), ""]}>
        {labels.data?.items.map((l) => (
          <tr key={l.id}>
            <td>{l.name}</td>
            <td>
              <span className="label-chip" style={{ borderColor: l.color }}>
                {l.color}
              </span>
            </td>
            <td>
              <button onClick={() => remove.mutate(l.id)}>{t("admin.delete")}</button>
            </td>
          </tr>
        ))}
      </Table>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ name, color });
          setName("");
        }}
      >
        <input
          aria-label={t("admin.name")}
          placeholder={t("admin.name")}
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <input aria-label={t("admin.color")} type="color" value={color} onChange={(e) => setColor(e.target.value)} />
        <button type="submit">{t("admin.create")}</button>
      </form>
      {create.error && (
        <p role="alert" className="error">
          {create.error.message}
        </p>
      )}
    </>
  );
}

function QuickReplies() {
  const { t } = useTranslation();
  const list = useQuery({ queryKey: ["admin-qr"], queryFn: adminApi.quickReplies });
  const create = useSave(["admin-qr", "quick-replies"], (b: { shortcut: string; title: string; text: string }) =>
    adminApi.createQuickReply(b),
  );
  const remove = useSave(["admin-qr", "quick-replies"], (id: string) => adminApi.deleteQuickReply(id));
  const [form, setForm] = useState({ shortcut: "", title: "", text: "" });
  return (
    <>
      <Table head={[t("admin.shortcut"), t("admin.title"), t("admin.text"), ""]}>
        {list.data?.items.map((r) => (
          <tr key={r.id}>
            <td>/{r.shortcut}</td>
            <td>{r.title}</td>
            <td>{r.text}</td>
            <td>
              <button onClick={() => remove.mutate(r.id)}>{t("admin.delete")}</button>
            </td>
          </tr>
        ))}
      </Table>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(form);
          setForm({ shortcut: "", title: "", text: "" });
        }}
      >
        <input
          aria-label={t("admin.shortcut")}
          placeholder={t("admin.shortcut")}
          required
          value={form.shortcut}
          onChange={(e) => setForm({ ...form, shortcut: e.target.value })}
        />
        <input
          aria-label={t("admin.title")}
          placeholder={t("admin.title")}
          required
          value={form.title}
          onChange={(e) => setForm({ ...form, title: e.target.value })}
        />
        <input
          aria-label={t("admin.text")}
          placeholder={t("admin.text")}
          required
          value={form.text}
          onChange={(e) => setForm({ ...form, text: e.target.value })}
        />
        <button type="submit">{t("admin.create")}</button>
      </form>
      {create.error && (
        <p role="alert" className="error">
          {create.error.message}
        </p>
      )}
    </>
  );
}

function Channels() {
  const { t } = useTranslation();
  const list = useQuery({ queryKey: ["admin-channels"], queryFn: adminApi.channels });
  return (
    <Table head={[t("admin.name"), t("admin.number"), t("admin.state"), t("admin.quality"), t("admin.lastWebhook")]}>
      {list.data?.items.map((c) => (
        <tr key={c.id}>
          <td>{c.name}</td>
          <td>{c.displayNumber ?? "—"}</td>
          <td>
            {c.status}
            {c.statusReason ? ` (${c.statusReason})` : ""}
          </td>
          <td>{c.qualityRating ?? "—"}</td>
          <td>{c.lastWebhookAt ? formatDateTime(c.lastWebhookAt) : "—"}</td>
        </tr>
      ))}
    </Table>
  );
}

function Templates() {
  const { t } = useTranslation();
  const list = useQuery({ queryKey: ["admin-templates"], queryFn: adminApi.templates });
  return (
    <Table head={[t("admin.name"), t("admin.language"), t("admin.category"), t("admin.state")]}>
      {list.data?.items.map((x) => (
        <tr key={x.id}>
          <td>{x.name}</td>
          <td>{x.language}</td>
          <td>{x.category}</td>
          <td>{x.status}</td>
        </tr>
      ))}
    </Table>
  );
}

/** Admin basics; lazy-loaded so agents never download it. */
export default function AdminPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<(typeof TABS)[number]>("users");
  return (
    <main className="admin" id="main">
      <div role="tablist" className="tabs" aria-label={t("app.admin")}>
        {TABS.map((x) => (
          <button key={x} role="tab" aria-selected={tab === x} onClick={() => setTab(x)}>
            {x === "routing"
              ? t("routing:tab")
              : x === "webhooks"
                ? t("quarantine.tab")
                : x === "queues"
                  ? t("queues:tab")
                  : t(`admin.${x}`)}
          </button>
        ))}
      </div>
      <section role="tabpanel">
        {tab === "users" && <Users />}
        {tab === "teams" && <TeamsAdmin />}
        {tab === "routing" && <RoutingRulesAdmin />}
        {tab === "labels" && <Labels />}
        {tab === "quickReplies" && <QuickReplies />}
        {tab === "channels" && <Channels />}
        {tab === "webchat" && <WebchatChannels />}
        {tab === "templates" && <Templates />}
        {tab === "webhooks" && <WebhookQuarantine />}
        {tab === "queues" && <QueuesAdmin />}
      </section>
    </main>
  );
}
