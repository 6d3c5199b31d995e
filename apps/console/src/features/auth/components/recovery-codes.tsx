import { useState } from "react";
import { useTranslation } from "react-i18next";
import "../locales";
import "../auth.css";

/** The recovery codes, shown once: copy, download as a text file, then confirm they were saved. */
export function RecoveryCodes({ codes, email, onDone }: { codes: string[]; email: string; onDone: () => void }) {
  const { t } = useTranslation("auth");
  const [copyState, setCopyState] = useState<"idle" | "copied" | "failed">("idle");
  const text = [t("recovery.fileHeader", { email }), "", ...codes, ""].join("\n");
  const copy = () =>
    navigator.clipboard.writeText(codes.join("\n")).then(
      () => setCopyState("copied"),
      () => setCopyState("failed"),
    );
  const download = () => {
    // A blob: URL is a download, not a script: allowed by the console's CSP.
    const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = "whatsapp-inbox-recovery-codes.txt";
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <section className="card recovery-codes" aria-labelledby="recovery-title">
      <h2 id="recovery-title">{t("recovery.title")}</h2>
      <p>{t("recovery.help")}</p>
      <ol className="recovery-list" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <div className="row">
        <button type="button" onClick={() => void copy()}>
          {t("recovery.copy")}
        </button>
        <button type="button" onClick={download}>
          {t("recovery.download")}
        </button>
        <button type="button" className="primary" onClick={onDone}>
          {t("recovery.done")}
        </button>
      </div>
      {copyState !== "idle" && (
        <p role="status" className="small">
          {copyState === "copied" ? t("recovery.copied") : t("recovery.copyFailed")}
        </p>
      )}
    </section>
  );
}
