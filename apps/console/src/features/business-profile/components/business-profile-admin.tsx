import { useEffect, useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  BUSINESS_PROFILE_LIMITS as LIMITS,
  BUSINESS_VERTICALS,
  PROFILE_PHOTO_MIME_TYPES,
  type BusinessProfileDto,
} from "@inbox/contracts";
import { ApiError } from "../../../lib/http";
import { adminApi } from "../../admin/api";
import { businessProfileApi } from "../api";
import { profileErrorKey } from "../locales";
import "../business-profile.css";

interface Form {
  about: string;
  description: string;
  address: string;
  email: string;
  website1: string;
  website2: string;
  vertical: string;
}

const formOf = (p: BusinessProfileDto): Form => ({
  about: p.about,
  description: p.description,
  address: p.address,
  email: p.email,
  website1: p.websites[0] ?? "",
  website2: p.websites[1] ?? "",
  vertical: p.vertical,
});
const codeOf = (error: unknown) => (error instanceof ApiError ? error.code : "");
const WEBSITE_RE = /^https?:\/\/\S+$/;

/** Admin tab: the WhatsApp business profile of a number (about, description, address, e-mail, websites, category, photo). */
export function BusinessProfileAdmin() {
  const { t } = useTranslation("profile");
  const channels = useQuery({ queryKey: ["admin-channels"], queryFn: adminApi.channels });
  const numbers = (channels.data?.items ?? []).filter((c) => c.type === "whatsapp");
  const [channelId, setChannelId] = useState<string | null>(null);
  const selected = channelId ?? numbers[0]?.id ?? null;

  if (channels.isPending) return <p className="muted">{t("app.loading", { ns: "translation" })}</p>;
  if (channels.isError)
    return (
      <p role="alert" className="error">
        {t("app.error", { ns: "translation" })}
      </p>
    );
  return (
    <section className="business-profile" aria-labelledby="profile-title">
      <h2 id="profile-title">{t("title")}</h2>
      <p className="muted">{t("help")}</p>
      {numbers.length === 0 && <p>{t("noChannel")}</p>}
      {numbers.length > 1 && (
        <label>
          {t("channel")}{" "}
          <select value={selected ?? ""} onChange={(e) => setChannelId(e.target.value)}>
            {numbers.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
                {c.displayNumber ? ` (${c.displayNumber})` : ""}
              </option>
            ))}
          </select>
        </label>
      )}
      {selected && <ProfileEditor key={selected} channelId={selected} />}
    </section>
  );
}

function ProfileEditor({ channelId }: { channelId: string }) {
  const { t } = useTranslation("profile");
  const client = useQueryClient();
  const key = ["business-profile", channelId];
  const profile = useQuery({ queryKey: key, queryFn: () => businessProfileApi.get(channelId), retry: false });
  // The admin's edits; until the first one, the form shows the profile as loaded (and again after saving).
  const [edits, setForm] = useState<Form | null>(null);
  const form = edits ?? (profile.data ? formOf(profile.data) : null);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [photo, setPhoto] = useState<{ file: File; url: string } | null>(null);
  useEffect(
    () => () => {
      if (photo) URL.revokeObjectURL(photo.url);
    },
    [photo],
  );

  const save = useMutation({
    mutationFn: (f: Form) =>
      businessProfileApi.update(channelId, {
        about: f.about.trim(),
        description: f.description.trim(),
        address: f.address.trim(),
        email: f.email.trim(),
        websites: [f.website1.trim(), f.website2.trim()].filter(Boolean),
        ...(f.vertical ? { vertical: f.vertical as (typeof BUSINESS_VERTICALS)[number] } : {}),
      }),
    onSuccess: (saved) => {
      client.setQueryData(key, saved);
      setForm(null);
      setNotice(t("saved"));
    },
  });
  const upload = useMutation({
    mutationFn: (file: File) => businessProfileApi.uploadPhoto(channelId, file),
    onSuccess: (saved) => {
      client.setQueryData(key, saved);
      setPhoto(null);
      setNotice(t("photoSaved"));
    },
  });

  if (profile.isPending) return <p className="muted">{t("app.loading", { ns: "translation" })}</p>;
  if (profile.isError)
    return (
      <div role="alert" className="error">
        <p>
          {t("loadFailed")} {t(profileErrorKey(codeOf(profile.error)))}
        </p>
        {codeOf(profile.error) === "unavailable" && (
          <button type="button" onClick={() => void profile.refetch()}>
            {t("retry")}
          </button>
        )}
      </div>
    );
  if (!form) return null;

  /** The same limits as Meta's, checked here so the admin learns before WhatsApp refuses. */
  const check = (f: Form): string | null => {
    if (!f.about.trim()) return t("invalid.aboutEmpty");
    const lengths: [keyof Form, string, number][] = [
      ["about", t("about"), LIMITS.about],
      ["description", t("description"), LIMITS.description],
      ["address", t("address"), LIMITS.address],
      ["email", t("email"), LIMITS.email],
      ["website1", t("website", { n: 1 }), LIMITS.website],
      ["website2", t("website", { n: 2 }), LIMITS.website],
    ];
    for (const [k, label, max] of lengths)
      if (f[k].trim().length > max) return t("invalid.tooLong", { field: label, max });
    if ([f.website1, f.website2].some((w) => w.trim() && !WEBSITE_RE.test(w.trim()))) return t("invalid.website");
    if (f.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(f.email.trim())) return t("invalid.email");
    return null;
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setNotice(null);
    const bad = check(form);
    setProblem(bad);
    if (!bad) save.mutate(form);
  };
  const choosePhoto = (file: File | undefined) => {
    setNotice(null);
    if (!file) return setPhoto(null);
    if (!(PROFILE_PHOTO_MIME_TYPES as readonly string[]).includes(file.type)) return setProblem(t("invalid.photoType"));
    if (file.size > LIMITS.photoBytes) return setProblem(t("invalid.photoSize"));
    setProblem(null);
    setPhoto({ file, url: URL.createObjectURL(file) });
  };
  const field = (k: keyof Form) => ({
    value: form[k],
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value }),
  });
  const failure = save.error ?? upload.error;

  return (
    <div className="business-profile-body">
      <form onSubmit={submit} className="stack-form" aria-label={t("title")} noValidate>
        <label>
          {t("about")}
          <input name="about" maxLength={LIMITS.about} required {...field("about")} />
          <span className="muted small" data-testid="about-counter">
            {t("aboutHelp", { max: LIMITS.about })} {t("counter", { count: form.about.length, max: LIMITS.about })}
          </span>
        </label>
        <label>
          {t("description")}
          <textarea name="description" rows={4} maxLength={LIMITS.description} {...field("description")} />
          <span className="muted small">
            {t("counter", { count: form.description.length, max: LIMITS.description })}
          </span>
        </label>
        <label>
          {t("address")}
          <textarea name="address" rows={2} maxLength={LIMITS.address} {...field("address")} />
        </label>
        <label>
          {t("email")}
          <input name="email" type="email" maxLength={LIMITS.email} {...field("email")} />
        </label>
        {(["website1", "website2"] as const).map((k, i) => (
          <label key={k}>
            {t("website", { n: i + 1 })}
            <input
              name={k}
              type="url"
              placeholder="https://"
              maxLength={LIMITS.website}
              title={t("websiteHelp")}
              {...field(k)}
            />
          </label>
        ))}
        <label>
          {t("vertical")}
          <select name="vertical" {...field("vertical")}>
            <option value="">{t("noVertical")}</option>
            {BUSINESS_VERTICALS.map((v) => (
              <option key={v} value={v}>
                {t(`verticals.${v}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={save.isPending}>
          {t("save")}
        </button>
      </form>
      <div className="stack-form">
        <h3>{t("photo")}</h3>
        <p data-testid="photo-state">{profile.data.hasPhoto ? t("photoSet") : t("photoNone")}</p>
        <label>
          {t("photoHelp")}
          <input
            type="file"
            accept={PROFILE_PHOTO_MIME_TYPES.join(",")}
            onChange={(e) => choosePhoto(e.target.files?.[0])}
          />
        </label>
        {photo && (
          <>
            <img src={photo.url} alt={t("photoPreview")} width={160} height={160} className="profile-photo-preview" />
            <button type="button" disabled={upload.isPending} onClick={() => upload.mutate(photo.file)}>
              {t("uploadPhoto")}
            </button>
          </>
        )}
      </div>
      {notice && <p role="status">{notice}</p>}
      {(problem ?? failure) && (
        <p role="alert" className="error">
          {problem ?? t(profileErrorKey(codeOf(failure)))}
        </p>
      )}
    </div>
  );
}
