import { useTranslation } from "react-i18next";
import type { TotpEnrollment } from "../api";
import "../locales";

/** The new secret as a QR code (a PNG data: URL, allowed by the CSP) and as a key to type in by hand. */
export function TotpSecret({ enrollment, help }: { enrollment: TotpEnrollment; help: string }) {
  const { t } = useTranslation("auth");
  return (
    <div className="totp-secret">
      <p>{help}</p>
      <img src={enrollment.qrCodeDataUrl} alt={t("totp.qrAlt")} width={200} height={200} data-testid="totp-qr" />
      <p>
        {t("totp.key")}:{" "}
        <code data-testid="totp-secret" className="totp-key">
          {enrollment.secret}
        </code>
      </p>
    </div>
  );
}
