import { useEffect, useState, type FormEvent } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Copy } from "lucide-react";
import type { SessionDto } from "@inbox/contracts";
import { describeApiError } from "../../../lib/api-errors";
import { confirmTotp, createRecoveryCodes, enrollTotp } from "../api";

const ENROLLMENT_KEY = ["totp-enrollment"] as const;

/** The one-time recovery codes, shown once, with copy and an explicit "stored" step. */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useTranslation();
  const [isCopied, setIsCopied] = useState(false);
  return (
    <div className="recovery-codes" data-testid="recovery-codes">
      <h3>{t("totp.codesTitle")}</h3>
      <p className="small">{t("totp.codesHelp")}</p>
      <ol className="codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <div className="row">
        <button
          type="button"
          onClick={() =>
            void navigator.clipboard?.writeText(codes.join("\n")).then(
              () => setIsCopied(true),
              () => undefined,
            )
          }
        >
          <Copy aria-hidden size={16} /> {t("totp.copy")}
        </button>
        {isCopied && <span role="status">{t("totp.copied")}</span>}
        <button type="button" className="primary" onClick={onDone}>
          {t("totp.done")}
        </button>
      </div>
    </div>
  );
}

/**
 * Turning on 2FA: one enrolment request per visit (a query, so React's double mount in development and re-renders
 * never create a second secret), the secret as a QR code and as text, the confirming code, then the recovery codes.
 */
export function TotpSetup({ onEnabled }: { onEnabled: (session: SessionDto) => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const enrollment = useQuery({ queryKey: ENROLLMENT_KEY, queryFn: enrollTotp, staleTime: Infinity, retry: false });
  const [qr, setQr] = useState<string | null>(null);
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const [done, setDone] = useState<{ session: SessionDto; codes: string[] } | null>(null);
  const uri = enrollment.data?.otpauthUri;
  useEffect(() => {
    if (!uri) return;
    let isCurrent = true;
    // Loaded on demand: only this screen needs the QR encoder.
    void import("qrcode")
      .then((m) => m.toDataURL(uri, { margin: 1, width: 220, errorCorrectionLevel: "M" }))
      .then((url) => isCurrent && setQr(url));
    return () => {
      isCurrent = false;
    };
  }, [uri]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setIsBusy(true);
    setError(null);
    confirmTotp(code)
      .then(async (session) => {
        client.removeQueries({ queryKey: ENROLLMENT_KEY });
        const { codes } = await createRecoveryCodes();
        setDone({ session, codes });
      })
      .catch((err: unknown) => setError(describeApiError(err, t).text))
      .finally(() => setIsBusy(false));
  };

  if (done) return <RecoveryCodes codes={done.codes} onDone={() => onEnabled(done.session)} />;
  if (enrollment.isError) return <p role="alert">{describeApiError(enrollment.error, t).text}</p>;
  return (
    <form onSubmit={submit} className="totp-setup">
      <p>{t("totp.scan")}</p>
      <div className="qr">
        {qr ? (
          <img src={qr} alt={t("totp.qr")} width={220} height={220} />
        ) : (
          <span className="muted">{t("app.loading")}</span>
        )}
      </div>
      <p className="small">
        {t("totp.manual")} <code data-testid="totp-secret">{enrollment.data?.secret ?? "…"}</code>
      </p>
      <label>
        {t("login.totpCode")}
        <input
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="\d{6}"
          required
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
      </label>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={isBusy || !enrollment.data}>
        {t("totp.confirm")}
      </button>
    </form>
  );
}
