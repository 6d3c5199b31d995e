import { useState, type FormEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { AutoReplySettings, LocalizedText } from "@inbox/contracts";
import { adminApi } from "../api";
import { ErrorLine, useSave } from "./shared";

function LocalizedField(props: { legend: string; value: LocalizedText; onChange: (v: LocalizedText) => void }) {
  const { t } = useTranslation();
  return (
    <fieldset className="localized">
      <legend>{props.legend}</legend>
      {(["de", "en"] as const).map((lang) => (
        <label key={lang}>
          {lang === "de" ? t("admin.german") : t("admin.english")}
          <textarea
            rows={3}
            required
            maxLength={4096}
            value={props.value[lang]}
            onChange={(e) => props.onChange({ ...props.value, [lang]: e.target.value })}
          />
        </label>
      ))}
    </fieldset>
  );
}

/** Greeting, consent question and confirmations, each in German and English; the language used when unknown. */
export function AutoRepliesTab() {
  const { t } = useTranslation();
  const current = useQuery({ queryKey: ["admin-auto-replies"], queryFn: adminApi.autoReplies });
  const save = useSave(["admin-auto-replies"], (body: AutoReplySettings) => adminApi.saveAutoReplies(body));
  // The admin's edits, over what the server has (until the first edit the form shows the stored settings).
  const [draft, setForm] = useState<AutoReplySettings | null>(null);
  const form = draft ?? current.data ?? null;
  if (!form) return <p className="muted">{t("app.loading")}</p>;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(form);
  };
  return (
    <form onSubmit={submit} className="settings-form">
      <p className="small">{t("admin.autoRepliesHelp")}</p>
      <label>
        {t("admin.defaultLanguage")}
        <select
          value={form.defaultLanguage}
          onChange={(e) => setForm({ ...form, defaultLanguage: e.target.value as "de" | "en" })}
        >
          <option value="de">{t("admin.german")}</option>
          <option value="en">{t("admin.english")}</option>
        </select>
      </label>
      <label className="toggle">
        <input
          type="checkbox"
          checked={form.greeting !== null}
          onChange={(e) =>
            setForm({
              ...form,
              greeting: e.target.checked
                ? { de: "Hallo! Wie können wir helfen?", en: "Hello! How can we help?" }
                : null,
            })
          }
        />{" "}
        {t("admin.greetingOn")}
      </label>
      {form.greeting && (
        <LocalizedField
          legend={t("admin.greeting")}
          value={form.greeting}
          onChange={(greeting) => setForm({ ...form, greeting })}
        />
      )}
      <label>
        {t("admin.optInPurpose")}
        <select
          value={form.optInPurpose}
          onChange={(e) => setForm({ ...form, optInPurpose: e.target.value as "service" | "marketing" })}
        >
          <option value="marketing">{t("contact.purpose.marketing")}</option>
          <option value="service">{t("contact.purpose.service")}</option>
        </select>
      </label>
      <LocalizedField
        legend={t("admin.consentQuestion")}
        value={form.consentQuestions[form.optInPurpose]}
        onChange={(question) =>
          setForm({ ...form, consentQuestions: { ...form.consentQuestions, [form.optInPurpose]: question } })
        }
      />
      <LocalizedField
        legend={t("admin.optInConfirmation")}
        value={form.optInConfirmation}
        onChange={(optInConfirmation) => setForm({ ...form, optInConfirmation })}
      />
      <LocalizedField
        legend={t("admin.optOutConfirmation")}
        value={form.optOutConfirmation}
        onChange={(optOutConfirmation) => setForm({ ...form, optOutConfirmation })}
      />
      <button type="submit" className="primary" disabled={save.isPending}>
        {t("admin.save")}
      </button>
      {save.isSuccess && <p role="status">{t("admin.done")}</p>}
      <ErrorLine errors={[save.error]} />
    </form>
  );
}
