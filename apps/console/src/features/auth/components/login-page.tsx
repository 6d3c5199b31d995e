import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { SessionDto } from "@inbox/contracts";
import { ApiError } from "../../../lib/http";
import { confirmTotp, enrollTotp, logIn, verifyTotp, type TotpEnrollment } from "../api";
import { useSetSession } from "../hooks/use-session";
import "../locales";
import { RecoveryCodes } from "./recovery-codes";
import { TotpSecret } from "./totp-secret";

type Step = "password" | "totp" | "enroll";

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
  const [isRecovery, setIsRecovery] = useState(false);
  const [enrollment, setEnrollment] = useState<TotpEnrollment | null>(null);
  /** After the mandatory enrolment: the recovery codes to save, and the session to continue with. */
  const [enrolled, setEnrolled] = useState<{ codes: string[]; session: SessionDto } | null>(null);
  const enrollRequested = useRef(false);

  // The mandatory enrolment starts once per sign-in (an effect runs twice under StrictMode; the server also answers a
  // repeated call from the same session with the same secret).
  useEffect(() => {
    if (step !== "enroll" || enrollRequested.current) return;
    enrollRequested.current = true;
    enrollTotp().then(setEnrollment, () => {
      enrollRequested.current = false;
      setError(t("app.error"));
    });
  }, [step, t]);

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      const code = e instanceof ApiError ? e.code : "";
      if (code === "unauthenticated" && step !== "password") {
        // Too many wrong codes ended the pending sign-in: start again with the password.
        setStep("password");
        setCode("");
        setIsRecovery(false);
        setError(t("login.sessionEnded"));
        return;
      }
      setError(
        code === "account_locked" || code === "rate_limited"
          ? t("login.locked")
          : step === "password"
            ? t("login.failed")
            : t("login.badCode"),
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
    if (busy) return;
    if (step === "password") void run(async () => done(await logIn(email, password)));
    else if (step === "totp") void run(async () => done(await verifyTotp(code.trim())));
    else
      void run(async () => {
        const { recoveryCodes, ...session } = await confirmTotp(code.trim());
        setEnrolled({ codes: recoveryCodes, session });
      });
  };

  if (enrolled)
    return (
      <main className="login" id="main">
        <RecoveryCodes
          codes={enrolled.codes}
          email={enrolled.session.user.email}
          onDone={() => setSession(enrolled.session)}
        />
      </main>
    );

  return (
    <main className="login" id="main">
      <form onSubmit={submit} className="card login-card" aria-labelledby="login-title">
        <h1 id="login-title">
          {step === "password" ? t("login.title") : step === "totp" ? t("login.totpTitle") : t("login.enrollTitle")}
        </h1>
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
        ) : (
          <>
            {step === "enroll" && (
              <>
                <p>{t("login.enrollHelp")}</p>
                {enrollment ? (
                  <TotpSecret enrollment={enrollment} help={t("auth:login.enrollScan")} />
                ) : (
                  <p className="muted">{t("app.loading")}</p>
                )}
              </>
            )}
            {isRecovery ? (
              <label key="recovery">
                {t("auth:login.recoveryCode")}
                <input
                  name="recovery-code"
                  autoComplete="off"
                  autoCapitalize="off"
                  spellCheck={false}
                  pattern="[A-Za-z0-9]{5}-?[A-Za-z0-9]{5}"
                  required
                  value={code}
                  onChange={(e) => setCode(e.target.value)}
                  autoFocus
                />
              </label>
            ) : (
              <label key="code">
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
            )}
            {isRecovery && <p className="muted small">{t("auth:login.recoveryHelp")}</p>}
          </>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || (step === "enroll" && !enrollment)}>
          {step === "password" ? t("login.submit") : t("login.verify")}
        </button>
        {step === "totp" && (
          <button
            type="button"
            className="link"
            onClick={() => {
              setIsRecovery(!isRecovery);
              setCode("");
              setError(null);
            }}
          >
            {isRecovery ? t("auth:login.useApp") : t("auth:login.useRecovery")}
          </button>
        )}
      </form>
    </main>
  );
}
