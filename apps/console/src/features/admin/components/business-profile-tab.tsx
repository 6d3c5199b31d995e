import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { BusinessProfileDto } from "@inbox/contracts";
import { BUSINESS_VERTICALS } from "@inbox/contracts/business-verticals";
import { adminApi } from "../api";
import { Empty, ErrorLine } from "./shared";

/** The WhatsApp Business profile of a number, edited at Meta through the Graph API. */
export function BusinessProfileTab() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const channels = useQuery({ queryKey: ["admin-channels"], queryFn: adminApi.channels });
  const whatsapp = channels.data?.items.filter((c) => c.type === "whatsapp") ?? [];
  const [channelId, setChannelId] = useState("");
  const id = channelId || whatsapp[0]?.id || "";
  const profile = useQuery({
    queryKey: ["business-profile", id],
    queryFn: () => adminApi.businessProfile(id),
    enabled: !!id,
    retry: false,
  });
  const [draft, setForm] = useState<{ channelId: string; profile: BusinessProfileDto } | null>(null);
  const form = (draft?.channelId === id ? draft.profile : null) ?? profile.data ?? null;
  const save = useMutation({
    mutationFn: (f: BusinessProfileDto) =>
      adminApi.saveBusinessProfile(id, {
        about: f.about,
        address: f.address,
        description: f.description,
        email: f.email,
        websites: f.websites.filter(Boolean),
        vertical: f.vertical,
      }),
    onSuccess: (dto) => client.setQueryData(["business-profile", id], dto),
  });
  if (channels.isSuccess && whatsapp.length === 0) return <Empty text={t("admin.noChannels")} />;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (form) save.mutate(form);
  };
  return (
    <div className="settings-form">
      <p className="small">{t("profile.help")}</p>
      {whatsapp.length > 1 && (
        <label>
          {t("profile.channel")}
          <select value={id} onChange={(e) => setChannelId(e.target.value)}>
            {whatsapp.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} {c.displayNumber ?? ""}
              </option>
            ))}
          </select>
        </label>
      )}
      <ErrorLine errors={[profile.error]} />
      {form && (
        <>
          {form.profilePictureUrl && (
            <img
              className="profile-photo"
              src={form.profilePictureUrl}
              alt={t("profile.photo")}
              width={96}
              height={96}
            />
          )}
          <form onSubmit={submit} className="settings-form" aria-label={t("admin.businessProfile")}>
            <label>
              {t("profile.about")}
              <input
                maxLength={139}
                required
                value={form.about}
                onChange={(e) => setForm({ channelId: id, profile: { ...form, about: e.target.value } })}
              />
            </label>
            <label>
              {t("profile.description")}
              <textarea
                rows={3}
                maxLength={512}
                value={form.description}
                onChange={(e) => setForm({ channelId: id, profile: { ...form, description: e.target.value } })}
              />
            </label>
            <label>
              {t("profile.address")}
              <input
                maxLength={256}
                value={form.address}
                onChange={(e) => setForm({ channelId: id, profile: { ...form, address: e.target.value } })}
              />
            </label>
            <label>
              {t("profile.email")}
              <input
                type="email"
                maxLength={128}
                value={form.email}
                onChange={(e) => setForm({ channelId: id, profile: { ...form, email: e.target.value } })}
              />
            </label>
            <label>
              {t("profile.websites")}
              <textarea
                rows={2}
                value={form.websites.join("\n")}
                onChange={(e) =>
                  setForm({ channelId: id, profile: { ...form, websites: e.target.value.split("\n").slice(0, 2) } })
                }
              />
            </label>
            <label>
              {t("profile.vertical")}
              <select
                value={form.vertical}
                onChange={(e) => setForm({ channelId: id, profile: { ...form, vertical: e.target.value } })}
              >
                {BUSINESS_VERTICALS.map((v) => (
                  <option key={v} value={v}>
                    {v}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="primary" disabled={save.isPending}>
              {t("admin.save")}
            </button>
            {save.isSuccess && <p role="status">{t("profile.saved")}</p>}
            <ErrorLine errors={[save.error]} />
          </form>
        </>
      )}
    </div>
  );
}
