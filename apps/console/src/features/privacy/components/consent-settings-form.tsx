import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { CUSTOMER_LANGUAGES, type ConsentSettings, type ConsentSettingsView, type ReplyTexts } from "@inbox/contracts";
import { privacyApi } from "../api";
import { PRIVACY_NS } from "../locale";

const splitKeywords = (value: string) =>
  value
    .split(",")
    .map((k) => k.trim())
    .filter(Boolean);

/** Chat keywords for opt-in / opt-out and the confirmation messages sent after them, one per customer language. */
export function ConsentSettingsForm() {
  const { t } = useTranslation(PRIVACY_NS);
  const settings = useQuery({ queryKey: ["consent-settings"], queryFn: privacyApi.consentSettings });
  if (settings.isPending) return <p className="muted">{t("loading")}</p>;
  if (settings.isError) return <p role="alert">{t("error", { message: settings.error.message })}</p>;
  return <Editor initial={settings.data} />;
}

/** One field per customer language; the built-in text shows as the placeholder of an empty one. */
function ReplyTextsFields({
  title,
  value,
  builtIn,
  onChange,
}: {
  title: string;
  value: ReplyTexts;
  builtIn: ReplyTexts;
  onChange: (value: ReplyTexts) => void;
}) {
  const { t } = useTranslation(PRIVACY_NS);
  return (
    <fieldset className="stack">
      <legend>{title}</legend>
      {CUSTOMER_LANGUAGES.map((language) => (
        <label key={language} className="stack">
          {t("consentSettings.textIn", { text: title, language: t(`consentSettings.languages.${language}`) })}
          <textarea
            rows={2}
            lang={language}
            value={value[language]}
            placeholder={builtIn[language]}
            onChange={(e) => onChange({ ...value, [language]: e.target.value })}
          />
        </label>
      ))}
    </fieldset>
  );
}

function Editor({ initial }: { initial: ConsentSettingsView }) {
  const { t } = useTranslation(PRIVACY_NS);
  const client = useQueryClient();
  const [form, setForm] = useState({
    optIn: initial.optInKeywords.join(", "),
    optOut: initial.optOutKeywords.join(", "),
    optInPurpose: initial.optInPurpose,
    optInConfirmation: initial.optInConfirmation,
    optOutConfirmation: initial.optOutConfirmation,
  });
  const save = useMutation({
    mutationFn: privacyApi.saveConsentSettings,
    onSuccess: (saved) => client.setQueryData(["consent-settings"], saved),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({
      optInKeywords: splitKeywords(form.optIn),
      optOutKeywords: splitKeywords(form.optOut),
      optInPurpose: form.optInPurpose,
      optInConfirmation: form.optInConfirmation,
      optOutConfirmation: form.optOutConfirmation,
    });
  };
  return (
    <form className="stack" onSubmit={submit} aria-label={t("consentSettings.title")}>
      <h3>{t("consentSettings.title")}</h3>
      <p className="muted small">
        {t("consentSettings.fallback", { language: t(`consentSettings.languages.${initial.defaultLanguage}`) })}
      </p>
      <label className="stack">
        {t("consentSettings.optOut")}
        <input value={form.optOut} onChange={(e) => setForm({ ...form, optOut: e.target.value })} />
      </label>
      <ReplyTextsFields
        title={t("consentSettings.optOutConfirmation")}
        value={form.optOutConfirmation}
        builtIn={initial.builtInConfirmations.optOut}
        onChange={(optOutConfirmation) => setForm({ ...form, optOutConfirmation })}
      />
      <label className="stack">
        {t("consentSettings.optIn")}
        <input value={form.optIn} onChange={(e) => setForm({ ...form, optIn: e.target.value })} />
      </label>
      <label className="row small">
        {t("consentSettings.optInPurpose")}
        <select
          value={form.optInPurpose}
          onChange={(e) => setForm({ ...form, optInPurpose: e.target.value as ConsentSettings["optInPurpose"] })}
        >
          <option value="marketing">{t("consent.purpose.marketing")}</option>
          <option value="service">{t("consent.purpose.service")}</option>
        </select>
      </label>
      <ReplyTextsFields
        title={t("consentSettings.optInConfirmation")}
        value={form.optInConfirmation}
        builtIn={initial.builtInConfirmations.optIn}
        onChange={(optInConfirmation) => setForm({ ...form, optInConfirmation })}
      />
      <div className="row">
        <button type="submit" disabled={save.isPending}>
          {t("consentSettings.save")}
        </button>
        {save.isSuccess && <span role="status">{t("consentSettings.saved")}</span>}
        {save.isError && (
          <span role="alert" className="error">
            {save.error.message}
          </span>
        )}
      </div>
    </form>
  );
}
