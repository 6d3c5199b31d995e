import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { SessionDto } from "@inbox/contracts";
import { ApiError } from "../../../lib/http";
import { confirmTotp, enrollTotp, logIn, verifyTotp } from "../api";
import { useSetSession } from "../hooks/use-session";

/** Sign-in: password, then (when needed) the TOTP code or the mandatory enrolment. */
export function LoginPage({ pending }: { pending?: SessionDto | null }) {
  const { t } = useTranslation();
  const setSession = useSetSession();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [step, setStep] = useState<"password" | "totp" | "enroll">(
    pending?.totpRequired ? "totp" : pending?.totpEnrollmentRequired ? "enroll" : "password",
  );
  const [secret, setSecret] = useState<string | null>(null);

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
    if (session.totpRequired) setStep("totp");
    else if (session.totpEnrollmentRequired) {
      setStep("enroll");
      void enrollTotp().then((r) => setSecret(r.secret));
    } else setSession(session);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (step === "password") void run(async () => done(await logIn(email, password)));
    else if (step === "totp") void run(async () => done(await verifyTotp(code)));
    else void run(async () => done(await confirmTotp(code)));
  };

  if (step === "enroll" && !secret && !busy)
    void enrollTotp().then(
      (r) => setSecret(r.secret),
      () => undefined,
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
              <p>
                {t("login.enrollHelp")}
                <br />
                {t("login.secret")}: <code data-testid="totp-secret">{secret ?? "…"}</code>
              </p>
            )}
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
          </>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {step === "password" ? t("login.submit") : t("login.verify")}
        </button>
      </form>
    </main>
  );
}
