import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { MIN_PASSWORD_LENGTH } from "@inbox/contracts/limits";
import { ApiError } from "../../../lib/http";
import { changePassword } from "../api";
import { useSetSession } from "../hooks/use-session";

/**
 * Set a new password. Forced (nothing else is reachable) after an admin reset the password; otherwise reached from
 * the top bar. Other sessions of the user end when it succeeds.
 */
export function ChangePasswordPage({ isForced }: { isForced: boolean }) {
  const { t } = useTranslation();
  const setSession = useSetSession();
  const navigate = useNavigate();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const [isDone, setIsDone] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (next.length < MIN_PASSWORD_LENGTH) return setError(t("password.tooShort", { n: MIN_PASSWORD_LENGTH }));
    if (next !== repeat) return setError(t("password.mismatch"));
    if (next === current) return setError(t("password.same"));
    setIsBusy(true);
    changePassword(current, next)
      .then((session) => {
        setIsDone(true);
        setSession(session);
        if (!isForced) void navigate("/");
      })
      .catch((err: unknown) =>
        setError(
          err instanceof ApiError && err.code === "invalid_credentials" ? t("password.wrongCurrent") : t("app.error"),
        ),
      )
      .finally(() => setIsBusy(false));
  };

  return (
    <main className="login" id="main">
      <form onSubmit={submit} className="card login-card" aria-labelledby="password-title">
        <h1 id="password-title">{t("password.title")}</h1>
        {isForced && <p>{t("password.forced")}</p>}
        <label>
          {t("password.current")}
          <input
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            autoFocus
          />
        </label>
        <label>
          {t("password.new")}
          <input
            type="password"
            autoComplete="new-password"
            required
            minLength={MIN_PASSWORD_LENGTH}
            value={next}
            onChange={(e) => setNext(e.target.value)}
          />
        </label>
        <label>
          {t("password.repeat")}
          <input
            type="password"
            autoComplete="new-password"
            required
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
          />
        </label>
        <p className="muted small">{t("password.hint", { n: MIN_PASSWORD_LENGTH })}</p>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {isDone && <p role="status">{t("password.done")}</p>}
        <button type="submit" disabled={isBusy}>
          {t("password.submit")}
        </button>
      </form>
    </main>
  );
}
