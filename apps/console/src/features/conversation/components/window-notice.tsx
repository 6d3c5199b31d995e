import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Clock, ShieldQuestion } from "lucide-react";
import { formatDuration } from "../../../lib/format";

/** Re-renders every `intervalMs` so countdowns stay current. */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/**
 * The 24 h customer service window: time left, or that only templates can go now; while it is open, the
 * "ask for consent" action (so the conversation can go on with templates after it closes).
 */
export function WindowNotice(props: {
  windowLeftMs: number;
  canAskConsent: boolean;
  isAsking: boolean;
  onAskConsent: () => void;
}) {
  const { t } = useTranslation();
  const isOpen = props.windowLeftMs > 0;
  return (
    <div className="window-notice">
      <span className="small muted" data-testid="window">
        <Clock aria-hidden size={14} className="inline-icon" />{" "}
        {isOpen ? t("composer.windowLeft", { time: formatDuration(props.windowLeftMs) }) : t("composer.windowClosed")}
      </span>
      {isOpen && props.canAskConsent && (
        <button
          type="button"
          className="ghost small"
          onClick={props.onAskConsent}
          disabled={props.isAsking}
          title={t("composer.askConsentHelp")}
        >
          <ShieldQuestion aria-hidden size={16} /> {t("composer.askConsent")}
        </button>
      )}
    </div>
  );
}
