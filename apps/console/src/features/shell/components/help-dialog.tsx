import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { X } from "lucide-react";
import type { SessionDto } from "@inbox/contracts";
import { SHELL_NS } from "../locales";
import { SHORTCUTS } from "../shortcuts";

const ROLES = ["agent", "lead", "admin"] as const;
const STATUSES = ["open", "pending", "resolved"] as const;

/** Keyboard shortcuts, what the statuses mean and what each role may do. A native modal dialog: Escape closes it. */
export function HelpDialog({
  isOpen,
  onClose,
  role,
}: {
  isOpen: boolean;
  onClose: () => void;
  role: SessionDto["user"]["role"];
}) {
  const { t } = useTranslation(SHELL_NS);
  const { t: tg } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (isOpen && !d.open) d.showModal();
    if (!isOpen && d.open) d.close();
  }, [isOpen]);
  return (
    <dialog ref={ref} className="dialog help-dialog" aria-labelledby="help-title" onClose={onClose} data-testid="help">
      <div className="dialog-head">
        <h2 id="help-title">{t("shortcuts.title")}</h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label={t("shortcuts.close")}>
          <X aria-hidden="true" />
        </button>
      </div>
      <dl className="shortcut-list">
        {SHORTCUTS.map((s) => (
          <div key={s.key}>
            <dt>
              <kbd>{s.key}</kbd>
            </dt>
            <dd>{t(`shortcuts.${s.action}`)}</dd>
          </div>
        ))}
      </dl>
      <p className="muted small">{t("shortcuts.note")}</p>
      <h3>{t("statuses.title")}</h3>
      <dl className="explain-list">
        {STATUSES.map((s) => (
          <div key={s}>
            <dt>{tg(`inbox.status.${s}`)}</dt>
            <dd>{t(`statuses.explain.${s}`)}</dd>
          </div>
        ))}
      </dl>
      <h3>{t("roles.title")}</h3>
      <dl className="explain-list">
        {ROLES.map((r) => (
          <div key={r} className={r === role ? "is-current" : undefined}>
            <dt>
              {t(`roles.${r}`)}
              {r === role && <span className="muted small"> ({t("roles.yours")})</span>}
            </dt>
            <dd>{t(`roles.explain.${r}`)}</dd>
          </div>
        ))}
      </dl>
    </dialog>
  );
}
