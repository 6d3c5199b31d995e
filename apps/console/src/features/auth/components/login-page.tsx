import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { SessionDto } from "@inbox/contracts";
import { ApiError } from "../../../lib/http";
import { describeApiError } from "../../../lib/api-errors";
import { logIn, verifyRecoveryCode, verifyTotp } from "../api";
import { useSetSession } from "../hooks/use-session";
import { TotpSetup } from "./totp-setup";

type Step = "password" | "totp" | "recovery" | "enroll";

/** Sign-in: password, then (when needed) the TOTP code, a recovery code, or the mandatory enrolment. */
export function LoginPage({ pending }: { pending?: SessionDto | null }) {
  const { t } = useTranslation();
  const setSession = useSetSession();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [step, setStep] = useState<Step>(
    pending?.totpRequired ? "totp" : pending?.totpEnrollmentRequired ? "enroll" : "password",
  );

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      const code = e instanceof ApiError ? e.code : "";
      setError(
        code === "account_locked" || code === "rate_limited"
          ? t("login.locked")
          : code === "invalid_credentials"
            ? step === "password"
              ? t("login.failed")
              : t("login.badCode")
            : describeApiError(e, t).text,
      );
    } finally {
      setBusy(false);
    }
  };

  const done = (session: SessionDto) => {
    setCode("");
    if (session.totpRequired) setStep("totp");
    else if (session.totpEnrollmentRequired) setStep("enroll");
    else setSession(session);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (step === "password") void run(async () => done(await logIn(email, password)));
    else if (step === "totp") void run(async () => done(await verifyTotp(code)));
    else if (step === "recovery") void run(async () => done(await verifyRecoveryCode(code)));
  };

  const title = {
    password: t("login.title"),
    totp: t("login.totpTitle"),
    recovery: t("login.recoveryTitle"),
    enroll: t("login.enrollTitle"),
  }[step];

  if (step === "enroll") {
    return (
      <main className="login" id="main">
        <div className="card login-card">
          <h1 id="login-title">{title}</h1>
          <p className="small">{t("login.enrollHelp")}</p>
          <TotpSetup onEnabled={setSession} />
        </div>
      </main>
    );
  }

  return (
    <main className="login" id="main">
      <form onSubmit={submit} className="card login-card" aria-labelledby="login-title">
        <h1 id="login-title">{title}</h1>
        {step === "password" ? (
          <>
            <label>
              {t("login.email")}
              <input
                type="email"
                name="email"
                autoComplete="username"
                required
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                autoFocus
              />
            </label>
            <label>
              {t("login.password")}
              <input
                type="password"
                name="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </label>
          </>
        ) : step === "totp" ? (
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
              autoFocus
            />
          </label>
        ) : (
          <label>
            {t("login.recoveryCode")}
            <input
              name="recovery-code"
              autoComplete="off"
              spellCheck={false}
              required
              value={code}
              onChange={(e) => setCode(e.target.value)}
              autoFocus
            />
          </label>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {step === "password" ? t("login.submit") : t("login.verify")}
        </button>
        {(step === "totp" || step === "recovery") && (
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setCode("");
              setError(null);
              setStep(step === "totp" ? "recovery" : "totp");
            }}
          >
            {step === "totp" ? t("login.useRecovery") : t("login.useApp")}
          </button>
        )}
      </form>
    </main>
  );
}
