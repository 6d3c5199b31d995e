import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../../lib/format";
import { adminApi } from "../api";
import { Empty, ErrorLine, Table, useSave } from "./shared";

export function LabelsTab() {
  const { t } = useTranslation();
  const labels = useQuery({ queryKey: ["admin-labels"], queryFn: adminApi.labels });
  const create = useSave(["admin-labels", "labels"], (b: { name: string; color: string }) => adminApi.createLabel(b));
  const remove = useSave(["admin-labels", "labels"], (id: string) => adminApi.deleteLabel(id));
  const [name, setName] = useState("");
  const [color, setColor] = useState("#2563eb");
  return (
    <>
      {labels.data?.items.length === 0 && <Empty text={t("admin.noLabels")} />}
      <Table head={[t("admin.name"), t("admin.color"), t("app.actions")]}>
        {labels.data?.items.map((l) => (
          <tr key={l.id}>
            <td>{l.name}</td>
            <td>
              <span className="label-chip" style={{ borderColor: l.color }}>
                {l.color}
              </span>
            </td>
            <td>
              <button onClick={() => remove.mutate(l.id)} aria-label={`${t("admin.delete")}: ${l.name}`}>
                {t("admin.delete")}
              </button>
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
      <ErrorLine errors={[create.error, remove.error]} />
    </>
  );
}

export function QuickRepliesTab() {
  const { t } = useTranslation();
  const list = useQuery({ queryKey: ["admin-qr"], queryFn: adminApi.quickReplies });
  const create = useSave(["admin-qr", "quick-replies"], (b: { shortcut: string; title: string; text: string }) =>
    adminApi.createQuickReply(b),
  );
  const remove = useSave(["admin-qr", "quick-replies"], (id: string) => adminApi.deleteQuickReply(id));
  const [form, setForm] = useState({ shortcut: "", title: "", text: "" });
  return (
    <>
      {list.data?.items.length === 0 && <Empty text={t("admin.noQuickReplies")} />}
      <Table head={[t("admin.shortcut"), t("admin.title"), t("admin.text"), t("app.actions")]}>
        {list.data?.items.map((r) => (
          <tr key={r.id}>
            <td>/{r.shortcut}</td>
            <td>{r.title}</td>
            <td>{r.text}</td>
            <td>
              <button onClick={() => remove.mutate(r.id)} aria-label={`${t("admin.delete")}: /${r.shortcut}`}>
                {t("admin.delete")}
              </button>
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
      <ErrorLine errors={[create.error, remove.error]} />
    </>
  );
}

export function ChannelsTab() {
  const { t } = useTranslation();
  const list = useQuery({ queryKey: ["admin-channels"], queryFn: adminApi.channels });
  if (list.data?.items.length === 0) return <Empty text={t("admin.noChannels")} />;
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

export function TemplatesTab() {
  const { t } = useTranslation();
  const list = useQuery({ queryKey: ["admin-templates"], queryFn: adminApi.templates });
  const sync = useSave(["admin-templates"], () => adminApi.syncTemplates());
  return (
    <>
      <button type="button" onClick={() => sync.mutate(undefined)} disabled={sync.isPending}>
        {t("admin.sync")}
      </button>
      {sync.isSuccess && <p role="status">{t("admin.syncStarted")}</p>}
      <ErrorLine errors={[sync.error]} />
      {list.data?.items.length === 0 && <Empty text={t("admin.noTemplates")} />}
      <Table head={[t("admin.name"), t("admin.language"), t("admin.category"), t("admin.state")]}>
        {list.data?.items.map((x) => (
          <tr key={x.id}>
            <td>{x.name}</td>
            <td>{x.language}</td>
            <td>{t(`template.category.${x.category}`)}</td>
            <td>{x.status}</td>
          </tr>
        ))}
      </Table>
    </>
  );
}
