import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { ConsentTextDto, SaveConsentTextBody } from "@inbox/contracts";
import { formatDateTime } from "../../../lib/format";
import { privacyApi } from "../api";
import { PRIVACY_NS } from "../locale";
import { ConsentSettingsForm } from "./consent-settings-form";

const SLOTS = [
  { purpose: "service", language: "de" },
  { purpose: "service", language: "en" },
  { purpose: "marketing", language: "de" },
  { purpose: "marketing", language: "en" },
] as const;

/** Consent wordings per purpose and language: editing saves a new version; older versions stay listed. */
export function ConsentTextsPanel() {
  const { t } = useTranslation(PRIVACY_NS);
  const texts = useQuery({ queryKey: ["consent-texts"], queryFn: privacyApi.consentTexts });
  return (
    <section aria-labelledby="consent-title">
      <h2 id="consent-title">{t("tabs.consent")}</h2>
      <p className="muted">{t("consent.intro")}</p>
      {texts.isPending && <p className="muted">{t("loading")}</p>}
      {texts.isError && (
        <p role="alert" className="error">
          {t("error", { message: texts.error.message })}
        </p>
      )}
      {texts.data &&
        SLOTS.map((slot) => (
          <ConsentTextEditor
            key={`${slot.purpose}-${slot.language}`}
            slot={slot}
            versions={texts.data.items.filter((x) => x.purpose === slot.purpose && x.language === slot.language)}
          />
        ))}
      <ConsentSettingsForm />
    </section>
  );
}

function ConsentTextEditor({
  slot,
  versions,
}: {
  slot: Pick<SaveConsentTextBody, "purpose" | "language">;
  versions: ConsentTextDto[];
}) {
  const { t } = useTranslation(PRIVACY_NS);
  const client = useQueryClient();
  const current = versions[0];
  const [text, setText] = useState(current?.text ?? "");
  const save = useMutation({
    mutationFn: privacyApi.saveConsentText,
    onSuccess: () => void client.invalidateQueries({ queryKey: ["consent-texts"] }),
  });
  const label = t("consent.label", {
    purpose: t(`consent.purpose.${slot.purpose}`),
    language: slot.language.toUpperCase(),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ ...slot, text });
  };
  return (
    <form className="stack" onSubmit={submit} aria-label={label}>
      <h3>{label}</h3>
      <p className="muted small">
        {current ? t("consent.current", { version: current.version, count: current.consents }) : t("consent.none")}
      </p>
      <textarea aria-label={label} rows={3} value={text} onChange={(e) => setText(e.target.value)} />
      <div className="row">
        <button type="submit" disabled={save.isPending || text.trim() === (current?.text ?? "")}>
          {t("consent.save")}
        </button>
        {save.isSuccess && <span role="status">{t("consent.saved", { version: save.data.version })}</span>}
        {save.isError && (
          <span role="alert" className="error">
            {save.error.message}
          </span>
        )}
      </div>
      {versions.length > 1 && (
        <details>
          <summary>{t("consent.history", { count: versions.length - 1 })}</summary>
          <ul>
            {versions.slice(1).map((v) => (
              <li key={v.id}>
                {t("consent.version", { version: v.version, at: formatDateTime(v.createdAt), count: v.consents })}:{" "}
                {v.text}
              </li>
            ))}
          </ul>
        </details>
      )}
    </form>
  );
}
