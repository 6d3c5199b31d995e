import { useState, type FormEvent } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ShieldCheck, ShieldOff } from "lucide-react";
import type { SessionDto } from "@inbox/contracts";
import { describeApiError } from "../../lib/api-errors";
import { countRecoveryCodes, createRecoveryCodes, disableTotp, fetchMe } from "../auth/api";
import { RecoveryCodes, TotpSetup } from "../auth/components/totp-setup";
import { useSetSession } from "../auth/hooks/use-session";
import { useNotificationPrefs } from "../notifications/use-notifications";
import { switchLanguage } from "../../i18n";

/** A password field with its submit button (turning 2FA off, new recovery codes). */
function PasswordAction(props: { label: string; button: string; onSubmit: (password: string) => Promise<void> }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    props.onSubmit(password).then(
      () => setPassword(""),
      (err: unknown) => setError(describeApiError(err, t).text),
    );
  };
  return (
    <form onSubmit={submit} className="inline-form">
      <label>
        {props.label}
        <input
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <button type="submit">{props.button}</button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
}

/** The user's own settings: language, password, two-factor authentication with recovery codes, notifications. */
export function AccountPage({ session }: { session: SessionDto }) {
  const { t, i18n } = useTranslation();
  const setSession = useSetSession();
  const client = useQueryClient();
  const [isEnrolling, setIsEnrolling] = useState(false);
  const [newCodes, setNewCodes] = useState<string[] | null>(null);
  const isOn = session.user.totpEnabled;
  const remaining = useQuery({ queryKey: ["recovery-codes"], queryFn: countRecoveryCodes, enabled: isOn });
  const notifications = useNotificationPrefs();
  const reloadSession = async () => setSession(await fetchMe());

  return (
    <main id="main" className="page account">
      <h1>{t("account.title")}</h1>
      <section className="card">
        <h2>{t("account.language")}</h2>
        <select
          aria-label={t("account.language")}
          value={i18n.language}
          onChange={(e) => void switchLanguage(e.target.value)}
        >
          <option value="de">Deutsch</option>
          <option value="en">English</option>
        </select>
        <p>
          <Link to="/password">{t("account.changePassword")}</Link>
        </p>
      </section>
      <section className="card" aria-labelledby="totp-title">
        <h2 id="totp-title">
          {isOn ? <ShieldCheck aria-hidden size={20} /> : <ShieldOff aria-hidden size={20} />} {t("totp.title")}
        </h2>
        <p data-testid="totp-state">{isOn ? t("totp.on") : t("totp.off")}</p>
        {!isOn &&
          (isEnrolling ? (
            <TotpSetup
              onEnabled={(s) => {
                setIsEnrolling(false);
                setSession(s);
                void client.invalidateQueries({ queryKey: ["recovery-codes"] });
              }}
            />
          ) : (
            <button type="button" className="primary" onClick={() => setIsEnrolling(true)}>
              {t("totp.enable")}
            </button>
          ))}
        {isOn && (
          <>
            {remaining.data && <p className="small">{t("totp.codesRemaining", { count: remaining.data.remaining })}</p>}
            {newCodes ? (
              <RecoveryCodes codes={newCodes} onDone={() => setNewCodes(null)} />
            ) : (
              <PasswordAction
                label={t("totp.newCodesPassword")}
                button={t("totp.newCodes")}
                onSubmit={async (password) => {
                  setNewCodes((await createRecoveryCodes(password)).codes);
                  void client.invalidateQueries({ queryKey: ["recovery-codes"] });
                }}
              />
            )}
            <PasswordAction
              label={t("totp.disablePassword")}
              button={t("totp.disable")}
              onSubmit={async (password) => {
                await disableTotp(password);
                await reloadSession();
              }}
            />
          </>
        )}
      </section>
      <section className="card">
        <h2>{t("notify.title")}</h2>
        <label className="toggle">
          <input
            type="checkbox"
            checked={notifications.prefs.sound}
            onChange={(e) => void notifications.update({ ...notifications.prefs, sound: e.target.checked })}
          />{" "}
          {t("notify.sound")}
        </label>
        <label className="toggle">
          <input
            type="checkbox"
            checked={notifications.prefs.desktop}
            onChange={(e) => void notifications.update({ ...notifications.prefs, desktop: e.target.checked })}
          />{" "}
          {t("notify.desktop")}
        </label>
        {notifications.isDenied && <p className="small muted">{t("notify.denied")}</p>}
      </section>
    </main>
  );
}
