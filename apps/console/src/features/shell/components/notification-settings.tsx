import { useState } from "react";
import { useTranslation } from "react-i18next";
import { SHELL_NS } from "../locales";
import { loadNotifySettings, playChime, saveNotifySettings, type NotifySettings } from "../notifications";

/** Sound and desktop notification switches, remembered in this browser; permission is asked only on the click. */
export function NotificationSettings() {
  const { t } = useTranslation(SHELL_NS);
  const [settings, setSettings] = useState<NotifySettings>(loadNotifySettings);
  const [problem, setProblem] = useState<string | null>(null);
  const hasApi = typeof window !== "undefined" && "Notification" in window;
  const update = (next: NotifySettings) => {
    setSettings(next);
    saveNotifySettings(next);
  };
  const toggleDesktop = async (on: boolean) => {
    setProblem(null);
    if (!on) return update({ ...settings, desktop: false });
    if (!hasApi) return setProblem(t("notify.unsupported"));
    const permission =
      Notification.permission === "default" ? await Notification.requestPermission() : Notification.permission;
    if (permission !== "granted") return setProblem(t("notify.denied"));
    update({ ...settings, desktop: true });
  };
  return (
    <fieldset className="settings-group">
      <legend>{t("notify.title")}</legend>
      <p className="muted small">{t("notify.help")}</p>
      <label className="check">
        <input
          type="checkbox"
          checked={settings.sound}
          onChange={(e) => {
            update({ ...settings, sound: e.target.checked });
            if (e.target.checked) playChime();
          }}
        />
        {t("notify.sound")}
      </label>
      <label className="check">
        <input type="checkbox" checked={settings.desktop} onChange={(e) => void toggleDesktop(e.target.checked)} />
        {t("notify.desktop")}
      </label>
      {problem && (
        <p role="alert" className="error small">
          {problem}
        </p>
      )}
    </fieldset>
  );
}
