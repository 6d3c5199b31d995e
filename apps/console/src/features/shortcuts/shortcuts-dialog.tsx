import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { X } from "lucide-react";
import { SHORTCUTS } from "./use-shortcuts";

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (ref.current && !ref.current.open) ref.current.showModal();
  }, []);
  return (
    <dialog ref={ref} className="card shortcuts" aria-labelledby="shortcuts-title" onClose={onClose}>
      <div className="panel-head">
        <h2 id="shortcuts-title">{t("app.shortcuts")}</h2>
        <button
          type="button"
          className="icon"
          onClick={() => ref.current?.close()}
          aria-label={t("app.close")}
          autoFocus
        >
          <X aria-hidden size={20} />
        </button>
      </div>
      <dl>
        {SHORTCUTS.map((s) => (
          <div key={s.label}>
            <dt>
              {s.keys.map((k) => (
                <kbd key={k}>{k}</kbd>
              ))}
            </dt>
            <dd>{t(s.label)}</dd>
          </div>
        ))}
      </dl>
    </dialog>
  );
}
