import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { X } from "lucide-react";
import { SHELL_NS } from "../../shell/locales";

/**
 * A thumbnail that opens the full image in a modal dialog (Escape, the close button or a click beside the image
 * closes it, and focus returns to the thumbnail). The dialog exists only while open.
 */
export function ImageThumbnail({ src, alt }: { src: string; alt: string }) {
  const { t } = useTranslation(SHELL_NS);
  const [isOpen, setOpen] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (isOpen && dialog.current && !dialog.current.open) dialog.current.showModal();
  }, [isOpen]);
  return (
    <>
      <button
        ref={opener}
        type="button"
        className="thumb"
        aria-label={t("openImage", { name: alt })}
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
      >
        <img src={src} alt="" loading="lazy" />
      </button>
      {isOpen && (
        <dialog
          ref={dialog}
          className="dialog image-dialog"
          aria-label={t("imageViewer")}
          data-testid="image-viewer"
          onClick={(e) => {
            if (e.target === dialog.current) dialog.current.close();
          }}
          onClose={() => {
            setOpen(false);
            opener.current?.focus();
          }}
        >
          <form method="dialog" className="dialog-head">
            <button type="submit" className="icon-button" aria-label={t("closeImage")}>
              <X aria-hidden="true" />
            </button>
          </form>
          <img src={src} alt={alt} />
        </dialog>
      )}
    </>
  );
}
