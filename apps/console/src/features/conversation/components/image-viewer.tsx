import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { Download, X } from "lucide-react";

/** A full-size image in a modal dialog (Escape or the close button closes it; focus returns to the thumbnail). */
export function ImageViewer({ src, alt, onClose }: { src: string; alt: string; onClose: () => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog ref={ref} className="image-viewer" aria-label={t("conv.imageViewer")} onClose={onClose} onCancel={onClose}>
      <div className="image-viewer-bar">
        <a href={src} download className="button-like">
          <Download aria-hidden size={16} /> {t("conv.download")}
        </a>
        <button type="button" onClick={() => ref.current?.close()} aria-label={t("app.close")} autoFocus>
          <X aria-hidden size={18} />
        </button>
      </div>
      <img src={src} alt={alt} />
    </dialog>
  );
}
