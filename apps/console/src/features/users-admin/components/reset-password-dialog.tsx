import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Copy, X } from "lucide-react";
import type { UserDto } from "@inbox/contracts";
import { MIN_PASSWORD_LENGTH } from "@inbox/contracts/limits";
import { ApiError } from "../../../lib/http";
import { adminApi } from "../../admin/api";
import { usersErrorKey } from "../locales";
import { generatePassword, passwordProblem } from "../passwords";

type Mode = "set" | "generate";

/**
 * An admin resets a user's password in a modal dialog (no browser prompt): either types one, checked with the
 * server's rule before it is sent, or has one generated, which is shown once with a copy button. The server ends
 * the user's sessions, makes them choose their own password at the next sign-in, and audits the reset.
 */
export function ResetPasswordDialog({
  user,
  onClose,
  onReset,
}: {
  /** The user whose password is reset (the dialog is shown while it is mounted; a new user: a new dialog). */
  user: UserDto;
  onClose: () => void;
  /** After a typed password was set (a generated one is shown in the dialog first). */
  onReset: (user: UserDto) => void;
}) {
  const { t } = useTranslation("users");
  const ref = useRef<HTMLDialogElement>(null);
  const ids = useId();
  const client = useQueryClient();
  const [mode, setMode] = useState<Mode>("set");
  const [password, setPassword] = useState("");
  const [isChecked, setIsChecked] = useState(false);
  const [generated, setGenerated] = useState<string | null>(null);
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");
  const reset = useMutation({
    mutationFn: (a: { id: string; password: string }) => adminApi.resetPassword(a.id, a.password),
    onSuccess: () => void client.invalidateQueries({ queryKey: ["admin-users"] }),
  });

  // Modal while mounted: focus moves into it, Escape closes it; a generated password goes with the unmount.
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);

  const problem = mode === "set" ? passwordProblem(password) : null;
  const shownProblem = isChecked ? problem : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (reset.isPending) return;
    setIsChecked(true);
    if (problem) return;
    const next = mode === "generate" ? generatePassword() : password;
    reset.mutate(
      { id: user.id, password: next },
      {
        onSuccess: () => {
          if (mode === "generate") setGenerated(next);
          else onReset(user);
        },
      },
    );
  };

  const copyPassword = () => {
    if (!generated) return;
    // No clipboard API outside secure contexts (plain http on another host): the text can still be selected.
    if (!("clipboard" in navigator)) {
      setCopy("failed");
      return;
    }
    navigator.clipboard.writeText(generated).then(
      () => setCopy("copied"),
      () => setCopy("failed"),
    );
  };

  return (
    <dialog
      ref={ref}
      className="dialog reset-password-dialog"
      aria-labelledby={`${ids}-title`}
      onClose={onClose}
      data-testid="reset-password-dialog"
    >
      <div className="dialog-head">
        <h2 id={`${ids}-title`}>{t("reset.title", { email: user.email })}</h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label={t("reset.close")}>
          <X aria-hidden="true" />
        </button>
      </div>
      {generated ? (
        <div className="stack">
          <p>{t("reset.generatedIntro", { email: user.email })}</p>
          <div className="row">
            <code className="generated-password" data-testid="generated-password">
              {generated}
            </code>
            <button type="button" onClick={copyPassword}>
              <Copy aria-hidden="true" size={16} /> {t("reset.copy")}
            </button>
          </div>
          <p role="status" className="small">
            {copy === "copied" ? t("reset.copied") : copy === "failed" ? t("reset.copyFailed") : ""}
          </p>
          <p className="small muted">{t("reset.onceOnly")}</p>
          <div className="row">
            <button type="button" onClick={onClose}>
              {t("reset.done")}
            </button>
          </div>
        </div>
      ) : (
        <form className="stack" onSubmit={submit} noValidate>
          <fieldset className="stack">
            <legend>{t("reset.how")}</legend>
            <label className="row">
              <input type="radio" name="mode" checked={mode === "set"} onChange={() => setMode("set")} />{" "}
              {t("reset.modeSet")}
            </label>
            <label className="row">
              <input type="radio" name="mode" checked={mode === "generate"} onChange={() => setMode("generate")} />{" "}
              {t("reset.modeGenerate")}
            </label>
          </fieldset>
          {mode === "set" ? (
            <div className="stack">
              <label className="stack">
                {t("reset.newPassword")}
                <input
                  type="password"
                  autoComplete="new-password"
                  value={password}
                  aria-invalid={shownProblem ? true : undefined}
                  aria-describedby={`${ids}-hint${shownProblem ? ` ${ids}-problem` : ""}`}
                  onChange={(e) => setPassword(e.target.value)}
                />
              </label>
              <span id={`${ids}-hint`} className="small muted">
                {t("passwordHelp", { n: MIN_PASSWORD_LENGTH })}
              </span>
              {shownProblem && (
                <span id={`${ids}-problem`} className="error" role="alert">
                  {t(`reset.problems.${shownProblem}`, { n: MIN_PASSWORD_LENGTH })}
                </span>
              )}
            </div>
          ) : (
            <p className="small muted">{t("reset.generateHint")}</p>
          )}
          <p className="small muted">{t("reset.sessionsEnd")}</p>
          {reset.isError && (
            <p role="alert" className="error">
              {t(usersErrorKey(reset.error instanceof ApiError ? reset.error.code : ""), { n: MIN_PASSWORD_LENGTH })}
            </p>
          )}
          <div className="row">
            <button type="submit" className="danger" disabled={reset.isPending}>
              {t("reset.submit")}
            </button>
            <button type="button" onClick={onClose}>
              {t("cancel")}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
