import { useState, type ReactNode } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../../lib/format";
import { adminApi } from "../api";
import WebchatChannels from "../../webchat-admin/components/webchat-channels";
import { WebhookQuarantine } from "./webhook-quarantine";
import { RoutingRulesAdmin } from "../../routing/components/routing-rules-admin";
import { TeamsAdmin } from "../../routing/components/teams-admin";
import { UsersAdmin } from "../../users-admin/components/users-admin";
import { BusinessProfileAdmin } from "../../business-profile/components/business-profile-admin";
import { QueuesAdmin } from "../../queues/components/queues-admin";

const TABS = [
  "users",
  "teams",
  "routing",
  "labels",
  "quickReplies",
  "channels",
  "profile",
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
                : x === "profile"
                  ? t("profile:tab")
                  : x === "queues"
                    ? t("queues:tab")
                    : t(`admin.${x}`)}
          </button>
        ))}
      </div>
      <section role="tabpanel">
        {tab === "users" && <UsersAdmin />}
        {tab === "teams" && <TeamsAdmin />}
        {tab === "routing" && <RoutingRulesAdmin />}
        {tab === "labels" && <Labels />}
        {tab === "quickReplies" && <QuickReplies />}
        {tab === "channels" && <Channels />}
        {tab === "profile" && <BusinessProfileAdmin />}
        {tab === "webchat" && <WebchatChannels />}
        {tab === "templates" && <Templates />}
        {tab === "webhooks" && <WebhookQuarantine />}
        {tab === "queues" && <QueuesAdmin />}
      </section>
    </main>
  );
}
