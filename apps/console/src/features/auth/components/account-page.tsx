import { useRef, useState, type FormEvent } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { SessionDto } from "@inbox/contracts";
import { ApiError } from "../../../lib/http";
import {
  confirmTotp,
  disableTotp,
  enrollTotp,
  fetchRecoveryCodesLeft,
  regenerateRecoveryCodes,
  type TotpEnrollment,
} from "../api";
import { useSetSession } from "../hooks/use-session";
import { authErrorKey } from "../locales";
import { RecoveryCodes } from "./recovery-codes";
import { TotpSecret } from "./totp-secret";

const CODES_LEFT_KEY = ["recovery-codes-left"] as const;
const LOW_CODES = 3;

type Step =
  | { kind: "idle" }
  | { kind: "enable" }
  | { kind: "scan"; enrollment: TotpEnrollment }
  | { kind: "codes"; codes: string[] }
  | { kind: "regenerate" }
  | { kind: "disable" };

/** The user's own account: who they are, their password and two-factor authentication. */
export function AccountPage({ session }: { session: SessionDto }) {
  const { t } = useTranslation("auth");
  const { user } = session;
  return (
    <main id="main" className="account">
      <h1>{t("account.title")}</h1>
      <section className="card">
        <p>
          <strong>{user.name}</strong> · {user.email}
        </p>
        <p>
          {t("account.role")}: {t(`account.roles.${user.role}`)}
        </p>
        <Link to="/password">{t("account.changePassword")}</Link>
      </section>
      <TwoFactor session={session} />
    </main>
  );
}

function TwoFactor({ session }: { session: SessionDto }) {
  const { t } = useTranslation("auth");
  const client = useQueryClient();
  const setSession = useSetSession();
  const isEnabled = session.user.totpEnabled;
  const codesLeft = useQuery({ queryKey: CODES_LEFT_KEY, queryFn: fetchRecoveryCodesLeft, enabled: isEnabled });
  const [step, setStep] = useState<Step>({ kind: "idle" });
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  // One request at a time, even when a click lands twice before React re-renders the disabled button.
  const inFlight = useRef(false);

  const go = (next: Step) => {
    setStep(next);
    setPassword("");
    setCode("");
    setError(null);
  };

  const run = async (entered: "password" | "code", fn: () => Promise<void>) => {
    if (inFlight.current) return;
    inFlight.current = true;
    setIsBusy(true);
    setError(null);
    setNotice(null);
    try {
      await fn();
    } catch (e) {
      const errorCode = e instanceof ApiError ? e.code : "";
      if (errorCode === "unauthenticated") {
        // Too many wrong passwords ended the session: back to the sign-in.
        setSession(null);
        return;
      }
      setError(t(authErrorKey(errorCode, entered)));
    } finally {
      inFlight.current = false;
      setIsBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (step.kind === "enable")
      void run("password", async () => go({ kind: "scan", enrollment: await enrollTotp(password) }));
    else if (step.kind === "scan")
      void run("code", async () => {
        const result = await confirmTotp(code);
        setSession(result);
        go({ kind: "codes", codes: result.recoveryCodes });
        setNotice(t("totp.enabled"));
      });
    else if (step.kind === "regenerate")
      void run("password", async () => {
        const { recoveryCodes } = await regenerateRecoveryCodes(password);
        go({ kind: "codes", codes: recoveryCodes });
      });
    else if (step.kind === "disable")
      void run("password", async () => {
        await disableTotp(password);
        go({ kind: "idle" });
        setNotice(t("totp.disabled"));
        await client.invalidateQueries({ queryKey: ["session"] });
      });
  };

  const passwordField = (help: string) => (
    <>
      <p className="muted small">{help}</p>
      <label>
        {t("totp.password")}
        <input
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoFocus
        />
      </label>
    </>
  );
  const actions = (label: string) => (
    <div className="row">
      <button type="submit" disabled={isBusy}>
        {label}
      </button>
      <button type="button" onClick={() => go({ kind: "idle" })}>
        {t("totp.cancel")}
      </button>
    </div>
  );
  const remaining = codesLeft.data?.remaining;

  return (
    <section className="card" aria-labelledby="totp-title" data-testid="totp-section">
      <h2 id="totp-title">{t("totp.title")}</h2>
      <p data-testid="totp-status" data-enabled={String(isEnabled)}>
        {isEnabled ? t("totp.on") : t("totp.off")}
      </p>
      {notice && <p role="status">{notice}</p>}
      {step.kind === "codes" ? (
        <RecoveryCodes
          codes={step.codes}
          email={session.user.email}
          onDone={() => {
            go({ kind: "idle" });
            void client.invalidateQueries({ queryKey: CODES_LEFT_KEY });
          }}
        />
      ) : step.kind === "idle" ? (
        isEnabled ? (
          <>
            {remaining !== undefined && (
              <p className={remaining <= LOW_CODES ? "error" : undefined} data-testid="recovery-left">
                {remaining <= LOW_CODES
                  ? t("totp.remainingLow", { count: remaining })
                  : t("totp.remaining", { count: remaining })}
              </p>
            )}
            <div className="row">
              <button type="button" onClick={() => go({ kind: "regenerate" })}>
                {t("totp.regenerate")}
              </button>
              <button type="button" onClick={() => go({ kind: "disable" })}>
                {t("totp.disable")}
              </button>
            </div>
          </>
        ) : (
          <>
            <p>{t("totp.intro")}</p>
            <button type="button" className="primary" onClick={() => go({ kind: "enable" })}>
              {t("totp.enable")}
            </button>
          </>
        )
      ) : (
        <form onSubmit={submit} className="account-form">
          {step.kind === "enable" && (
            <>
              {passwordField(t("totp.passwordHelp"))}
              {actions(t("totp.start"))}
            </>
          )}
          {step.kind === "scan" && (
            <>
              <TotpSecret enrollment={step.enrollment} help={t("totp.scan")} />
              <label>
                {t("totp.code")}
                <input
                  name="code"
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  pattern="\d{6}"
                  required
                  value={code}
                  onChange={(e) => setCode(e.target.value.trim())}
                  autoFocus
                />
              </label>
              {actions(t("totp.confirm"))}
            </>
          )}
          {step.kind === "regenerate" && (
            <>
              {passwordField(t("totp.regenerateHelp"))}
              {actions(t("totp.regenerate"))}
            </>
          )}
          {step.kind === "disable" && (
            <>
              {passwordField(t("totp.disableHelp"))}
              {actions(t("totp.disable"))}
            </>
          )}
        </form>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
