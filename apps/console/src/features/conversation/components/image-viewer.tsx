import { useRef } from "react";
import { useTranslation } from "react-i18next";
import { X } from "lucide-react";
import { SHELL_NS } from "../../shell/locales";

/** A thumbnail that opens the full image in a modal dialog (Escape or the close button closes it). */
export function ImageThumbnail({ src, alt }: { src: string; alt: string }) {
  const { t } = useTranslation(SHELL_NS);
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button
        ref={opener}
        type="button"
        className="thumb"
        aria-label={t("openImage", { name: alt })}
        aria-haspopup="dialog"
        onClick={() => dialog.current?.showModal()}
      >
        <img src={src} alt="" loading="lazy" />
      </button>
      <dialog
        ref={dialog}
        className="dialog image-dialog"
        aria-label={t("imageViewer")}
        data-testid="image-viewer"
        onClick={(e) => {
          // A click on the backdrop (the dialog itself, not its content) closes it.
          if (e.target === dialog.current) dialog.current.close();
        }}
        onClose={() => opener.current?.focus()}
      >
        <form method="dialog" className="dialog-head">
          <button type="submit" className="icon-button" aria-label={t("closeImage")} autoFocus>
            <X aria-hidden="true" />
          </button>
        </form>
        <img src={src} alt={alt} />
      </dialog>
    </>
  );
}
